import type { AuthInfo } from '@modelcontextprotocol/server';
import type { AccessGrant, AccessRules } from './access-rules.js';
import { callerOf } from './caller.js';

/** What a server offers: tools by name; resources and prompts go with the whole server. */
export type OfferedList = 'tools' | 'resources' | 'prompts';

/** What one caller may use. */
export interface CallerAccess {
  /**
   * The grants the caller holds, as a key: callers holding the same grants see the same lists, so
   * the lists rendered for one serve them all.
   */
  readonly key: string;
  /** Whether the caller may see and use a server's tool (by its own name), or its resources or prompts. */
  readonly allows: (server: string, list: OfferedList, name: string) => boolean;
}

/** The access rules of one bridge, compiled for the auth mode. */
export interface AccessPolicy {
  /** What the verified caller may use (computed once per distinct caller and kept). */
  readonly accessOf: (authInfo: AuthInfo | undefined) => CallerAccess;
  /**
   * The 403 `insufficient_scope` answer (the MCP authorization spec's) for a call the caller may not
   * make: its `WWW-Authenticate` challenge names in `scope` the scopes that would allow it (oauth
   * mode); its body is a JSON-RPC error for the request's `id` ({@link FORBIDDEN}) whose message names
   * the tool, which clients show as they show any error. The SDK words the challenge: it is loaded
   * then (the bearer gate has loaded it already), never on a cold start's path.
   */
  readonly refusal: (authInfo: AuthInfo | undefined, refused: { readonly server: string; readonly list: OfferedList; readonly name: string; readonly calledAs: string; readonly id: unknown }) => Promise<Response>;
}

/** The JSON-RPC error code of a refused call (in the range JSON-RPC leaves to servers). */
export const FORBIDDEN = -32003;

/** Distinct OAuth scope sets kept at once; past it the cache starts again (tokens are made by one issuer, sets are few). */
const MAX_CACHED_SCOPE_SETS = 1024;

/**
 * Compiles access rules: a grant covers a whole server (its tools, resources and prompts) or some of
 * its tools; a caller may use what a grant it holds covers, and what no grant covers only when the
 * default is `allow`. In token mode a caller holds the grants that name its token; in oauth mode
 * those that name any of its scopes.
 */
export function accessPolicy(rules: AccessRules): AccessPolicy {
  const covering = (server: string, list: OfferedList, name: string): number[] =>
    rules.grants.flatMap((grant, index) => (grant.server === server && (grant.tools === undefined || (list === 'tools' && grant.tools.includes(name))) ? [index] : []));
  const holds = (grant: AccessGrant, authInfo: AuthInfo | undefined): boolean => {
    if (authInfo === undefined) return false;
    if ('tokens' in grant) return grant.tokens.includes(authInfo.extra?.tokenName as string);
    return grant.scopes.some((scope) => authInfo.scopes.includes(scope));
  };
  const compile = (held: ReadonlySet<number>): CallerAccess => {
    // A caller's answers are the same for every name: kept per server, list and name as they are asked.
    const answers = new Map<string, Map<string, boolean>>();
    return {
      key: [...held].join(','),
      allows: (server, list, name) => {
        const id = `${server}\n${list}`;
        let known = answers.get(id);
        if (known === undefined) answers.set(id, (known = new Map()));
        let allowed = known.get(name);
        if (allowed === undefined) {
          const grants = covering(server, list, name);
          allowed = grants.length === 0 ? rules.default === 'allow' : grants.some((index) => held.has(index));
          known.set(name, allowed);
        }
        return allowed;
      },
    };
  };
  const byGrants = new Map<string, CallerAccess>();
  const byToken = new Map<string, CallerAccess>();
  const byScopes = new Map<string, CallerAccess>();
  const compiled = (authInfo: AuthInfo | undefined): CallerAccess => {
    const held = new Set(rules.grants.flatMap((grant, index) => (holds(grant, authInfo) ? [index] : [])));
    const key = [...held].join(',');
    let access = byGrants.get(key);
    if (access === undefined) byGrants.set(key, (access = compile(held)));
    return access;
  };
  /** Per token name (token mode), or per scope set (oauth mode): a request costs one lookup. */
  const accessOf = (authInfo: AuthInfo | undefined): CallerAccess => {
    const tokenName = authInfo?.extra?.tokenName;
    if (typeof tokenName === 'string') {
      let access = byToken.get(tokenName);
      if (access === undefined) byToken.set(tokenName, (access = compiled(authInfo)));
      return access;
    }
    const scopes = authInfo?.scopes.join(' ') ?? '';
    let access = byScopes.get(scopes);
    if (access === undefined) {
      if (byScopes.size >= MAX_CACHED_SCOPE_SETS) byScopes.clear();
      byScopes.set(scopes, (access = compiled(authInfo)));
    }
    return access;
  };
  return {
    accessOf,
    refusal: async (authInfo, { server, list, name, calledAs, id }) => {
      const { bearerAuthChallengeResponse, OAuthError, OAuthErrorCode } = await import('@modelcontextprotocol/server');
      const grants = covering(server, list, name).map((index) => rules.grants[index]!);
      const scopes = [...new Set(grants.flatMap((grant) => ('scopes' in grant ? grant.scopes : [])))];
      const what = list === 'tools' ? `tool "${calledAs}"` : `${list === 'resources' ? 'resource' : 'prompt'} "${calledAs}"`;
      const caller = callerOf(authInfo);
      const who = caller === undefined ? 'this caller' : 'token' in caller ? `token "${caller.token}"` : `client "${caller.clientId}"`;
      const why = grants.length === 0 ? 'no grant allows it' : scopes.length > 0 ? `it needs one of the scopes ${scopes.join(' ')}` : 'it is granted to other tokens';
      const description = `The ${what} of server "${server}" is not granted to ${who}: ${why}`;
      // The SDK words the challenge (and quotes the description into it).
      const challenge = bearerAuthChallengeResponse(new OAuthError(OAuthErrorCode.InsufficientScope, description), {
        requiredScopes: scopes,
        ...(authInfo?.resourceMetadataUrl === undefined ? {} : { resourceMetadataUrl: authInfo.resourceMetadataUrl }),
      });
      const error = { code: FORBIDDEN, message: `Forbidden: ${description}`, data: { error: 'insufficient_scope', server, ...(scopes.length === 0 ? {} : { scope: scopes.join(' ') }) } };
      return new Response(JSON.stringify({ jsonrpc: '2.0', id: id ?? null, error }), {
        status: challenge.status,
        headers: { 'Content-Type': 'application/json', 'WWW-Authenticate': challenge.headers.get('www-authenticate')! },
      });
    },
  };
}
