import { requireBearerAuth, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { Hono, MiddlewareHandler } from 'hono';

/** How `/mcp` authenticates: `none` (local only), static `token`s, or `oauth` JWTs. */
export type AuthSettings =
  | { readonly mode: 'none' }
  | { readonly mode: 'token'; readonly verifier: OAuthTokenVerifier }
  | {
      readonly mode: 'oauth';
      readonly verifier: OAuthTokenVerifier;
      /** The authorization server clients get tokens from. */
      readonly issuer: string;
      /** This server's resource URL: the tokens' audience, the metadata's `resource`. */
      readonly resource: string;
      /** Scopes every token must carry (403 `insufficient_scope` otherwise). */
      readonly requiredScopes: readonly string[];
    };

/** Values the auth middleware hands to the MCP endpoint through the Hono context. */
export interface AuthVariables {
  authInfo?: AuthInfo;
}

/** The RFC 9728 metadata path for a resource URL: `/.well-known/oauth-protected-resource/<path>`. */
export function protectedResourceMetadataPath(resource: string): string {
  const path = new URL(resource).pathname.replace(/\/$/, '');
  return `/.well-known/oauth-protected-resource${path}`;
}

/**
 * Requires a valid bearer token on the routes it guards, using the MCP SDK's
 * bearer-auth gate: 401 with `WWW-Authenticate: Bearer` (and `resource_metadata` in
 * oauth mode) when missing or invalid, 403 `insufficient_scope` when a required scope
 * is missing. The verified `AuthInfo` goes to the MCP server. A no-op in `none` mode.
 *
 * @example app.use('/mcp', bearerAuth({ mode: 'token', verifier: staticTokenVerifier(digests) }))
 */
export function bearerAuth(settings: AuthSettings): MiddlewareHandler<{ Variables: AuthVariables }> {
  if (settings.mode === 'none') return async (_c, next) => next();
  const gate = requireBearerAuth(
    settings.mode === 'oauth'
      ? {
          verifier: settings.verifier,
          requiredScopes: [...settings.requiredScopes],
          expectedResource: new URL(settings.resource),
          resourceMetadataUrl: new URL(protectedResourceMetadataPath(settings.resource), settings.resource).href,
        }
      : { verifier: settings.verifier },
  );
  return async (c, next) => {
    const outcome = await gate(c.req.raw);
    if (outcome instanceof Response) return outcome;
    c.set('authInfo', outcome);
    await next();
  };
}

/**
 * Serves the Protected Resource Metadata (RFC 9728) in oauth mode, at the path for
 * the resource URL and at the bare `/.well-known/oauth-protected-resource`.
 */
export function protectedResourceMetadataRoutes(settings: AuthSettings): (app: Hono) => void {
  return (app) => {
    if (settings.mode !== 'oauth') return;
    const document = {
      resource: settings.resource,
      authorization_servers: [settings.issuer],
      bearer_methods_supported: ['header'],
      ...(settings.requiredScopes.length === 0 ? {} : { scopes_supported: [...settings.requiredScopes] }),
      resource_name: 'MCP bridge',
    };
    const paths = new Set([protectedResourceMetadataPath(settings.resource), '/.well-known/oauth-protected-resource']);
    for (const path of paths) {
      app.get(path, (c) => {
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json(document);
      });
    }
  };
}
