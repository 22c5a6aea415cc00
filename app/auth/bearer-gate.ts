import { requireBearerAuth, type AuthInfo } from '@modelcontextprotocol/server';
import { jwtVerifier } from './jwt-verifier.js';
import { protectedResourceMetadataPath, type AuthSettings } from './settings.js';
import { staticTokenVerifier } from './token-verifier.js';

/** Checks one request's bearer token: its `AuthInfo`, or the challenge response to send. */
export type BearerGate = (request: Request) => Promise<AuthInfo | Response>;

/**
 * The MCP SDK's bearer-auth gate with this server's verifier: 401 with
 * `WWW-Authenticate: Bearer` (and `resource_metadata` in oauth mode) when the token
 * is missing or invalid, 403 `insufficient_scope` when a required scope is missing.
 */
export function createBearerGate(settings: Exclude<AuthSettings, { mode: 'none' }>): BearerGate {
  if (settings.mode === 'token') return requireBearerAuth({ verifier: staticTokenVerifier(settings.tokens) });
  return requireBearerAuth({
    verifier: jwtVerifier({
      issuer: settings.issuer,
      audience: settings.resource,
      ...(settings.jwksUrl === undefined ? {} : { jwksUrl: settings.jwksUrl }),
    }),
    requiredScopes: [...settings.requiredScopes],
    expectedResource: new URL(settings.resource),
    resourceMetadataUrl: new URL(protectedResourceMetadataPath(settings.resource), settings.resource).href,
  });
}
