import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { NamedTokenDigest } from './settings.js';

/** How long a verified static token's `AuthInfo` claims to be valid (the SDK requires an expiry). */
const STATIC_TOKEN_VALIDITY_SECONDS = 300;

/**
 * Accepts bearer tokens whose SHA-256 digest is one of `tokens`'s. The comparison is
 * constant-time and runs against every digest, so timing reveals neither which digest
 * matched nor how much of one did. Only digests are held, never the tokens. The token's name is
 * the `AuthInfo`'s client id and its `extra.tokenName` (what grants and the audit go by).
 */
export function staticTokenVerifier(tokens: readonly NamedTokenDigest[]): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const presented = createHash('sha256').update(token).digest();
      let matched: NamedTokenDigest | undefined;
      for (const entry of tokens) if (timingSafeEqual(presented, entry.digest) && matched === undefined) matched = entry;
      if (matched === undefined) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Unknown bearer token');
      return {
        token,
        clientId: matched.name,
        scopes: [],
        extra: { tokenName: matched.name },
        expiresAt: Math.floor(Date.now() / 1000) + STATIC_TOKEN_VALIDITY_SECONDS,
      };
    },
  };
}
