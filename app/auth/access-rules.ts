import * as z from 'zod/mini';

/** A named token's name (`npm run token -- <env> rotate --name <name>`): what grants and the audit call it. */
export const TOKEN_NAME_PATTERN = /^[a-z][a-z0-9-]{0,31}$/;

/** An OAuth scope token (RFC 6749 §3.3: printable ASCII but space, `"` and `\`). */
const SCOPE_TOKEN = /^[\u0021\u0023-\u005B\u005D-\u007E]+$/;

/** The server the built-in tools are when no server list is configured. */
export const IMPLICIT_BUILTIN_SERVER = 'builtin';

/** Who a grant lets in: named tokens (token mode) or holders of any of the scopes (oauth mode). */
export type Grantees = { readonly tokens: readonly string[] } | { readonly scopes: readonly string[] };

/** One grant: a server (every tool, resource and prompt of it), or only some of its tools, to some callers. */
export type AccessGrant = Grantees & {
  /** The server, as the server list names it (`builtin` for the built-in tools when there is no list). */
  readonly server: string;
  /**
   * Only these tools of it (their names as the server knows them).
   * @default - the whole server: its tools, resources and prompts
   */
  readonly tools?: readonly string[];
};

/** Who may use what: grants, and what happens to what no grant names. */
export interface AccessRules {
  /** What a caller may do with a tool (or a server's resources and prompts) no grant names: `deny` in the production tier. */
  readonly default: 'allow' | 'deny';
  /** The grants, in the order given (the audit and the errors name them by index). */
  readonly grants: readonly AccessGrant[];
}

const names = (pattern: RegExp, rule: string) => z.array(z.string().check(z.regex(pattern, rule))).check(z.minLength(1, 'name at least one'));

const grantSchema = z.union(
  [
    z.strictObject({ server: z.string().check(z.minLength(1)), tools: z.optional(names(/^.+$/, 'a tool name')), tokens: names(TOKEN_NAME_PATTERN, 'a token name is 1-32 lowercase letters, digits and hyphens, starting with a letter') }),
    z.strictObject({ server: z.string().check(z.minLength(1)), tools: z.optional(names(/^.+$/, 'a tool name')), scopes: names(SCOPE_TOKEN, 'an OAuth scope (no spaces, quotes or backslashes)') }),
  ],
  { error: 'a grant is {"server": "<name>", "tools"?: ["<tool>", ...], "tokens": ["<token name>", ...]} or the same with "scopes": ["<scope>", ...]' },
);

const rulesSchema = z.strictObject({
  default: z.enum(['allow', 'deny'], { error: 'one of "allow" or "deny"' }),
  grants: z._default(z.array(grantSchema), []),
});

/** A bad access rule: names the field (`access.grants.1.server`) and what is wrong. */
export class AccessRulesError extends Error {
  override name = 'AccessRulesError';
}

/**
 * Checks access rules in the shape an environment's `access` and `MCP_ACCESS` share. Returns the rules
 * and every problem as `<path>: <rule>`, the path under `prefix` (`access.grants.0.tokens`).
 */
export function checkAccessRules(value: unknown, prefix = 'access'): { readonly rules?: AccessRules; readonly problems: readonly string[] } {
  const parsed = rulesSchema.safeParse(value);
  if (parsed.success) return { rules: parsed.data as AccessRules, problems: [] };
  return {
    problems: parsed.error.issues.map((issue) => {
      const path = [prefix, ...issue.path.map(String)].join('.');
      return `${path}: ${issue.code === 'unrecognized_keys' ? `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}` : issue.message}`;
    }),
  };
}

/** Whether the grants name callers the way the auth mode knows them: tokens in token mode, scopes in oauth mode. */
export function granteeProblems(rules: AccessRules, mode: 'none' | 'token' | 'oauth', prefix = 'access'): string[] {
  if (mode === 'none') return [`${prefix}: access rules need to know the caller: use auth mode "token" or "oauth"`];
  const wanted = mode === 'token' ? 'tokens' : 'scopes';
  return rules.grants.flatMap((grant, index) =>
    wanted in grant ? [] : [`${prefix}.grants.${index}: auth mode ${mode} knows callers by ${wanted}: name "${wanted}", not "${mode === 'token' ? 'scopes' : 'tokens'}"`],
  );
}

/**
 * The grants that name a server or a tool the bridge does not serve, each naming the grant's field
 * (`access.grants.2.tools.0: server "notes" has no tool "wirte" (its tools: …)`). `servers` maps each
 * server to its tools' names, or to `undefined` when they are not known yet (at synth).
 */
export function unknownNameProblems(rules: AccessRules, servers: ReadonlyMap<string, readonly string[] | undefined>, prefix = 'access'): string[] {
  return rules.grants.flatMap((grant, index) => {
    const path = `${prefix}.grants.${index}`;
    if (!servers.has(grant.server)) return [`${path}.server: no server "${grant.server}" (the servers: ${[...servers.keys()].join(', ')})`];
    const tools = servers.get(grant.server);
    if (tools === undefined) return [];
    return (grant.tools ?? []).flatMap((tool, toolIndex) => (tools.includes(tool) ? [] : [`${path}.tools.${toolIndex}: server "${grant.server}" has no tool "${tool}" (its tools: ${tools.join(', ') || 'none'})`]));
  });
}

/** Reads `MCP_ACCESS` (the rules' JSON, as a deploy sets it); throws {@link AccessRulesError} naming every problem. */
export function parseAccessRules(text: string, mode: 'none' | 'token' | 'oauth'): AccessRules {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new AccessRulesError(`MCP_ACCESS: not valid JSON (${(error as Error).message})`);
  }
  const { rules, problems } = checkAccessRules(value, 'MCP_ACCESS');
  const all = [...problems, ...(rules === undefined ? [] : granteeProblems(rules, mode, 'MCP_ACCESS'))];
  if (all.length > 0) throw new AccessRulesError(all.join('; '));
  return rules!;
}
