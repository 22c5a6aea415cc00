/** How `/mcp` authenticates: `none` (local only), static `token`s, or `oauth` JWTs. Data only. */
export type AuthSettings =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'token';
      /** SHA-256 digests of the accepted tokens. */
      readonly digests: readonly Buffer[];
    }
  | {
      readonly mode: 'oauth';
      /** The authorization server clients get tokens from. */
      readonly issuer: string;
      /** This server's resource URL: the tokens' audience, the metadata's `resource`. */
      readonly resource: string;
      /** Scopes every token must carry (403 `insufficient_scope` otherwise). */
      readonly requiredScopes: readonly string[];
      /** Where the issuer's signing keys are; discovered from its metadata when absent. */
      readonly jwksUrl?: string;
    };

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

/** The RFC 9728 metadata path for a resource URL: `/.well-known/oauth-protected-resource/<path>`. */
export function protectedResourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}
