import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createHash, timingSafeEqual } from 'node:crypto';

/** How long a verified static token's `AuthInfo` claims to be valid (the SDK requires an expiry). */
const STATIC_TOKEN_VALIDITY_SECONDS = 300;

/**
 * Accepts bearer tokens whose SHA-256 digest is one of `digests`. The comparison is
 * constant-time and runs against every digest, so timing reveals neither which digest
 * matched nor how much of one did. Only digests are held, never the tokens.
 */
export function staticTokenVerifier(digests: readonly Buffer[]): OAuthTokenVerifier {
  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const presented = createHash('sha256').update(token).digest();
      let matched: Buffer | undefined;
      for (const digest of digests) if (timingSafeEqual(presented, digest) && matched === undefined) matched = digest;
      if (matched === undefined) throw new OAuthError(OAuthErrorCode.InvalidToken, 'Unknown bearer token');
      return {
        token,
        clientId: `token:${matched.toString('hex').slice(0, 12)}`,
        scopes: [],
        expiresAt: Math.floor(Date.now() / 1000) + STATIC_TOKEN_VALIDITY_SECONDS,
      };
    },
  };
}
