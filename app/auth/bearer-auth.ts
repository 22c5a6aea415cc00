import type { AuthInfo } from '@modelcontextprotocol/server';
import type { MiddlewareHandler } from 'hono';
import type { AddGetRoute } from '../http/pipeline.js';
import type { BearerGate } from './bearer-gate.js';
import { protectedResourceMetadataPath, type AuthSettings } from './settings.js';

export type { AuthSettings } from './settings.js';

/** Values the auth middleware hands to the MCP endpoint through the Hono context. */
export interface AuthVariables {
  authInfo?: AuthInfo;
}

/** The auth settings that require a bearer token (every mode but `none`). */
export type BearerAuthSettings = Exclude<AuthSettings, { readonly mode: 'none' }>;

/**
 * Requires a valid bearer token on the routes it guards (see `bearer-gate.ts`); the
 * verified `AuthInfo` goes to the MCP server. In `none` mode there is nothing to guard, so
 * the app registers no middleware at all (a pass-through layer would still cost every request
 * its await). The gate and its dependencies (the SDK's auth helpers, `jose`) load on the first
 * guarded request.
 *
 * @example app.all('/mcp', pipeline([bearerAuth({ mode: 'token', tokens }), endpoint], onError))
 */
export function bearerAuth(settings: BearerAuthSettings): MiddlewareHandler<{ Variables: AuthVariables }> {
  let gate: Promise<BearerGate> | undefined;
  return async (c, next) => {
    gate ??= import('./bearer-gate.js').then(({ createBearerGate }) => createBearerGate(settings));
    const outcome = await (await gate)(c.req.raw);
    if (outcome instanceof Response) return outcome;
    c.set('authInfo', outcome);
    await next();
  };
}

/**
 * Serves the Protected Resource Metadata (RFC 9728) in oauth mode, at the path for
 * the resource URL and at the bare `/.well-known/oauth-protected-resource`.
 */
export function protectedResourceMetadataRoutes(settings: AuthSettings): (get: AddGetRoute) => void {
  return (get) => {
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
      get(path, (c) => {
        c.header('Cache-Control', 'public, max-age=3600');
        return c.json(document);
      });
    }
  };
}
