import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createHash, timingSafeEqual } from 'node:crypto';

/** How long a verified static token's `AuthInfo` claims to be valid (the SDK requires an expiry). */
const STATIC_TOKEN_VALIDITY_SECONDS = 300;

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Parses `MCP_TOKEN_SHA256`: comma-separated SHA-256 hex digests of the accepted tokens. */
export function parseTokenDigests(value: string): Buffer[] {
  const digests = value
    .split(',')
    .map((digest) => digest.trim().toLowerCase())
    .filter(Boolean);
  const bad = digests.find((digest) => !SHA256_HEX.test(digest));
  if (bad !== undefined) throw new Error(`MCP_TOKEN_SHA256: "${bad.slice(0, 8)}…" is not a SHA-256 hex digest`);
  if (digests.length === 0) throw new Error('MCP_TOKEN_SHA256: no token digest given');
  return digests.map((digest) => Buffer.from(digest, 'hex'));
}

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
