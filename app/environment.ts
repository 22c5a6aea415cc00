import * as z from 'zod/mini';
import pkg from '../package.json' with { type: 'json' };
import { parseAccessRules } from './auth/access-rules.js';
import { parseTokenDigests, type AuthSettings } from './auth/settings.js';
import type { AppOptions } from './create-app.js';
import type { Platform, RuntimeInfo } from './runtime.js';
import type { ServerListSource } from './servers/server-list.js';

/** Hostnames accepted on `/mcp` when nothing else is configured: loopback only. */
export const LOCAL_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

const hostnameList = z.pipe(
  z.pipe(
    z.string(),
    z.transform((value: string) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean)),
  ),
  z
    .array(z.string().check(z.regex(/^(\[[0-9a-f:]+\]|[a-z0-9.-]+)$/, 'each entry must be a bare hostname, without scheme or port')))
    .check(z.minLength(1, 'list at least one hostname')),
);

/** An integer environment variable within bounds, with a default. */
const integer = (min: number, max: number, fallback: number) =>
  z._default(z.pipe(z.coerce.number(), z.int().check(z.minimum(min), z.maximum(max))), fallback);

const present = z.optional(z.string().check(z.minLength(1)));

/** The environment variables the bridge reads, with their rules. Documented in the README. */
const environmentSchema = z
  .object({
    PORT: integer(0, 65535, 8080),
    MCP_ALLOWED_HOSTS: z.optional(hostnameList),
    MCP_REGION: present,
    MCP_VERSION: present,
    MCP_MAX_BODY_BYTES: integer(1024, 16 * 1024 * 1024, 1024 * 1024),
    AWS_REGION: z.optional(z.string()),
    K_SERVICE: z.optional(z.string()),
    MCP_AUTH_MODE: z._default(z.enum(['none', 'token', 'oauth']), 'none'),
    MCP_TOKEN_SHA256: z.optional(z.string()),
    MCP_OAUTH_ISSUER: z.optional(z.url()),
    MCP_OAUTH_AUDIENCE: z.optional(z.url()),
    MCP_OAUTH_REQUIRED_SCOPES: z._default(z.string(), ''),
    MCP_OAUTH_JWKS_URL: z.optional(z.url()),
    MCP_RATE_LIMIT_PER_MINUTE: integer(1, Number.MAX_SAFE_INTEGER, 600),
    MCP_RATE_LIMIT_BURST: integer(1, Number.MAX_SAFE_INTEGER, 60),
    MCP_TOOL_TIMEOUT_MS: integer(10, 300_000, 10_000),
    MCP_SERVERS_FILE: present,
    MCP_SERVERS: present,
    MCP_ACCESS: present,
  })
  .check(
    z.refine((vars) => vars.MCP_AUTH_MODE !== 'token' || vars.MCP_TOKEN_SHA256 !== undefined, {
      message: 'required when MCP_AUTH_MODE is token (comma-separated <name>:<SHA-256 hex> of the tokens)',
      path: ['MCP_TOKEN_SHA256'],
    }),
    z.refine((vars) => vars.MCP_AUTH_MODE !== 'oauth' || vars.MCP_OAUTH_ISSUER !== undefined, {
      message: 'required when MCP_AUTH_MODE is oauth',
      path: ['MCP_OAUTH_ISSUER'],
    }),
    z.refine((vars) => vars.MCP_SERVERS === undefined || vars.MCP_SERVERS_FILE === undefined, {
      message: 'give the server list once: MCP_SERVERS (its JSON, as a deploy sets it) or MCP_SERVERS_FILE (a file), not both',
      path: ['MCP_SERVERS'],
    }),
    z.refine((vars) => vars.MCP_AUTH_MODE !== 'oauth' || vars.MCP_OAUTH_AUDIENCE !== undefined, {
      message: "required when MCP_AUTH_MODE is oauth (this server's resource URL, https://<name>/mcp)",
      path: ['MCP_OAUTH_AUDIENCE'],
    }),
  );

/** The bridge's settings, read once from the environment by an entry. */
export interface BridgeSettings {
  readonly port: number;
  readonly runtime: RuntimeInfo;
  /**
   * The server list to serve, in the format an environment's config uses: a servers file
   * (`MCP_SERVERS_FILE`) or its JSON inline (`MCP_SERVERS`, as a deploy sets it).
   * @default - none: the built-in tools alone
   */
  readonly serverList?: ServerListSource;
  /** The app options every platform shares. */
  readonly app: Pick<AppOptions, 'allowedHostnames' | 'maxBodyBytes' | 'auth' | 'rateLimit' | 'access'> & { readonly toolTimeoutMs: number };
}

/** A bad environment variable: names the variable and the rule it broke. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/**
 * Reads and validates the bridge's environment variables for a platform.
 * Throws {@link EnvironmentError} naming every bad variable, and `AccessRulesError` naming every bad
 * field of `MCP_ACCESS`.
 */
export function readSettings(env: Record<string, string | undefined>, platform: Platform): BridgeSettings {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new EnvironmentError(`Invalid environment: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    ...(vars.MCP_SERVERS_FILE === undefined ? {} : { serverList: { file: vars.MCP_SERVERS_FILE } }),
    ...(vars.MCP_SERVERS === undefined ? {} : { serverList: { inline: vars.MCP_SERVERS } }),
    app: {
      allowedHostnames: vars.MCP_ALLOWED_HOSTS ?? [...LOCAL_HOSTNAMES],
      maxBodyBytes: vars.MCP_MAX_BODY_BYTES,
      auth: authSettings(vars),
      ...(vars.MCP_ACCESS === undefined ? {} : { access: parseAccessRules(vars.MCP_ACCESS, vars.MCP_AUTH_MODE) }),
      rateLimit: { requestsPerMinute: vars.MCP_RATE_LIMIT_PER_MINUTE, burst: vars.MCP_RATE_LIMIT_BURST },
      toolTimeoutMs: vars.MCP_TOOL_TIMEOUT_MS,
    },
    runtime: {
      version: vars.MCP_VERSION ?? pkg.version,
      platform,
      region: vars.MCP_REGION ?? vars.AWS_REGION ?? 'local',
      startedAtMs: Date.now(),
    },
  };
}

function authSettings(vars: z.output<typeof environmentSchema>): AuthSettings {
  switch (vars.MCP_AUTH_MODE) {
    case 'none':
      return { mode: 'none' };
    case 'token':
      try {
        return { mode: 'token', tokens: parseTokenDigests(vars.MCP_TOKEN_SHA256!) };
      } catch (error) {
        throw new EnvironmentError(`Invalid environment: ${(error as Error).message}`);
      }
    case 'oauth':
      return {
        mode: 'oauth',
        issuer: vars.MCP_OAUTH_ISSUER!,
        resource: vars.MCP_OAUTH_AUDIENCE!,
        requiredScopes: vars.MCP_OAUTH_REQUIRED_SCOPES.split(' ').filter(Boolean),
        ...(vars.MCP_OAUTH_JWKS_URL === undefined ? {} : { jwksUrl: vars.MCP_OAUTH_JWKS_URL }),
      };
  }
}
