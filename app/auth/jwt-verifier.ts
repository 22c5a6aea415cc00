import { OAuthError, OAuthErrorCode, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** Options of {@link jwtVerifier}. */
export interface JwtVerifierOptions {
  /** The authorization server's issuer identifier; tokens must carry it as `iss`. */
  readonly issuer: string;
  /** This server's resource URL (`https://<name>/mcp`); tokens must carry it in `aud`. */
  readonly audience: string;
  /**
   * Where the issuer publishes its signing keys.
   * @default - `jwks_uri` from the issuer's RFC 8414 (then OpenID) discovery document
   */
  readonly jwksUrl?: string;
}

/**
 * Verifies JWT access tokens against the issuer's JWKS (keys fetched and cached by
 * `jose`), checking signature, expiry, issuer and audience. Scopes come from the
 * `scope` claim (space-separated) or `scp` (array).
 */
export function jwtVerifier(options: JwtVerifierOptions): OAuthTokenVerifier {
  let keys: Promise<JWTVerifyGetKey> | undefined;
  const signingKeys = () => {
    keys ??= (options.jwksUrl === undefined ? discoverJwksUrl(options.issuer) : Promise.resolve(options.jwksUrl))
      .then((url) => createRemoteJWKSet(new URL(url)))
      .catch((error: Error) => {
        keys = undefined;
        throw new OAuthError(OAuthErrorCode.ServerError, `Cannot reach the issuer's keys: ${error.message}`);
      });
    return keys;
  };

  return {
    async verifyAccessToken(token: string): Promise<AuthInfo> {
      const getKey = await signingKeys();
      try {
        const { payload } = await jwtVerify(token, getKey, { issuer: options.issuer, audience: options.audience });
        const scopes =
          typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : Array.isArray(payload.scp) ? payload.scp.map(String) : [];
        return {
          token,
          clientId: String(payload.client_id ?? payload.azp ?? payload.sub ?? 'unknown'),
          scopes,
          ...(typeof payload.sub === 'string' ? { extra: { sub: payload.sub } } : {}),
          ...(payload.exp === undefined ? {} : { expiresAt: payload.exp }),
          resource: new URL(options.audience),
        };
      } catch (error) {
        if (error instanceof errors.JOSEError) throw new OAuthError(OAuthErrorCode.InvalidToken, `Invalid access token: ${error.code}`);
        throw error;
      }
    },
  };
}

/** Finds `jwks_uri` in the issuer's authorization server metadata (RFC 8414, then OpenID discovery). */
async function discoverJwksUrl(issuer: string): Promise<string> {
  const url = new URL(issuer);
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '');
  for (const wellKnown of ['oauth-authorization-server', 'openid-configuration']) {
    const response = await fetch(new URL(`/.well-known/${wellKnown}${path}`, url.origin), { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) continue;
    const metadata = (await response.json()) as { jwks_uri?: string };
    if (typeof metadata.jwks_uri === 'string') return metadata.jwks_uri;
  }
  throw new Error(`no jwks_uri in ${issuer}'s discovery documents`);
}
