import { TOKEN_NAME_PATTERN } from './access-rules.js';

/** How `/mcp` authenticates: `none` (local only), static `token`s, or `oauth` JWTs. Data only. */
export type AuthSettings =
  | { readonly mode: 'none' }
  | {
      readonly mode: 'token';
      /** The accepted tokens: each one's name and SHA-256 digest. */
      readonly tokens: readonly NamedTokenDigest[];
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

/** An accepted token: its name (what grants and the audit call it) and its SHA-256 digest. */
export interface NamedTokenDigest {
  readonly name: string;
  readonly digest: Buffer;
}

/** The name of a token stored without one (tokens issued before tokens had names). */
export const UNNAMED_TOKEN = 'default';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** One entry of `MCP_TOKEN_SHA256` taken apart: `<name>:<hex>`, or a bare digest of a token named {@link UNNAMED_TOKEN}. */
export function splitTokenEntry(entry: string): { readonly name: string; readonly hex: string } {
  const colon = entry.lastIndexOf(':');
  return colon === -1 ? { name: UNNAMED_TOKEN, hex: entry.toLowerCase() } : { name: entry.slice(0, colon), hex: entry.slice(colon + 1).toLowerCase() };
}

/**
 * Parses `MCP_TOKEN_SHA256`: comma-separated entries `<name>:<SHA-256 hex>` (or a bare digest, a
 * token named {@link UNNAMED_TOKEN}), newest first.
 */
export function parseTokenDigests(value: string): NamedTokenDigest[] {
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map(splitTokenEntry);
  const bad = entries.find(({ hex }) => !SHA256_HEX.test(hex));
  if (bad !== undefined) throw new Error(`MCP_TOKEN_SHA256: "${bad.hex.slice(0, 8)}…" is not a SHA-256 hex digest`);
  const badName = entries.find(({ name }) => !TOKEN_NAME_PATTERN.test(name));
  if (badName !== undefined) throw new Error(`MCP_TOKEN_SHA256: "${badName.name}" is not a token name (1-32 lowercase letters, digits and hyphens, starting with a letter)`);
  if (entries.length === 0) throw new Error('MCP_TOKEN_SHA256: no token digest given');
  return entries.map(({ name, hex }) => ({ name, digest: Buffer.from(hex, 'hex') }));
}

/** The RFC 9728 metadata path for a resource URL: `/.well-known/oauth-protected-resource/<path>`. */
export function protectedResourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}
