import { readFileSync } from 'node:fs';
import * as z from 'zod/mini';
import { isJsonObject } from './json-object.js';

/** A server's name: what `/servers/<name>/mcp` and the `<server>_<tool>` prefix use (no `_`, so the split is unambiguous). */
export const SERVER_NAME_PATTERN = /^[a-z][a-z0-9-]{0,19}$/;

/** An environment variable's (or a secret's) name. */
const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** An HTTP header's name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A value given in config, or a secret named by reference (set with `npm run secret`, never in config). */
export type ConfiguredValue = string | { readonly secret: string };

const configuredValue = z.union([
  z.string(),
  z.strictObject({ secret: z.string().check(z.regex(VARIABLE_NAME, 'a secret is named like an environment variable: letters, digits and _, not starting with a digit')) }),
]);

/** The in-repo TypeScript tools (`app/tools/`), served in process on the fast path. */
export type BuiltinServer = Record<string, never>;

/** How much a stdio or HTTP server is given: time to start, requests at once. */
export interface ServerLimits {
  /** How long it may take to answer `initialize` and its first lists, in milliseconds. */
  readonly startTimeoutMs: number;
  /** Requests in flight at once over its one connection; more wait their turn. */
  readonly maxInFlight: number;
}

/** The runtimes a deployed stdio server can need; the release image carries each one asked for. */
export const SERVER_RUNTIMES = ['node22', 'python3.12', 'python3.13'] as const;

/** A runtime of {@link SERVER_RUNTIMES}. */
export type ServerRuntime = (typeof SERVER_RUNTIMES)[number];

/**
 * Where a deployed stdio server's program comes from: what the release image installs. Running the
 * list locally (`MCP_SERVERS_FILE`) ignores it: the command is run as it is.
 */
export type ServerPackage =
  /** An npm package at an exact version; its executables are on the server's `PATH`. */
  | { readonly npm: string; readonly version: string }
  /** A PyPI package at an exact version, installed from a lock file of pinned, hashed requirements; its scripts are on `PATH`. */
  | { readonly pypi: string; readonly version: string; readonly lock: string }
  /** A folder of the repository, copied into the image, with the command that installs it there (run in that folder). */
  | { readonly folder: string; readonly install?: string };

/** A program the bridge starts and speaks MCP to over its standard input and output. */
export interface StdioServer extends ServerLimits {
  /** The program, found on `PATH` unless it is a path. */
  readonly command: string;
  /** Its arguments. */
  readonly args: readonly string[];
  /** Variables added to its environment: values, or secrets by reference. */
  readonly env: Readonly<Record<string, ConfiguredValue>>;
  /** Its working directory (relative paths are the bridge's). */
  readonly cwd?: string;
  /**
   * What the release image installs for it (needed to deploy it).
   * @default - nothing: it runs locally only
   */
  readonly package?: ServerPackage;
  /**
   * The runtime it needs in the release image (needed to deploy it).
   * @default - nothing: it runs locally only
   */
  readonly runtime?: ServerRuntime;
}

/** A Streamable HTTP server the bridge reaches (a sidecar, or a process of the same deployment). */
export interface HttpServer extends ServerLimits {
  /** Its MCP endpoint. */
  readonly url: string;
  /** Headers added to every request to it: values, or secrets by reference. */
  readonly headers: Readonly<Record<string, ConfiguredValue>>;
}

/** What the audit keeps of a server's tool calls beyond who called what and how it ended. */
export interface ServerAuditOptions {
  /** Keep each call's arguments. */
  readonly arguments: boolean;
  /** Keep each call's result (or error). */
  readonly result: boolean;
  /** Fields whose values are replaced by `[redacted]` in what is kept, at any depth (exact names). */
  readonly redact: readonly string[];
}

/** One configured server: exactly one kind, and what its audit lines keep. */
export type ServerEntry = ({ readonly builtin: BuiltinServer } | { readonly stdio: StdioServer } | { readonly http: HttpServer }) & {
  /**
   * What its audit lines keep beyond who called what and how it ended.
   * @default - neither arguments nor results
   */
  readonly audit?: ServerAuditOptions;
};

/** The servers an environment (or `MCP_SERVERS_FILE`) names, in the order given. */
export type ServerList = ReadonlyArray<{ readonly name: string; readonly server: ServerEntry }>;

const LIMITS = {
  startTimeoutMs: z._default(z.int().check(z.minimum(100), z.maximum(120_000)), 10_000),
  maxInFlight: z._default(z.int().check(z.minimum(1), z.maximum(1024)), 32),
};

const KINDS = {
  builtin: z.strictObject({}),
  stdio: z.strictObject({
    command: z.string().check(z.minLength(1, 'name the program to run')),
    args: z._default(z.array(z.string()), []),
    env: z._default(z.record(z.string().check(z.regex(VARIABLE_NAME, 'an environment variable name: letters, digits and _, not starting with a digit')), configuredValue), {}),
    cwd: z.optional(z.string().check(z.minLength(1))),
    package: z.optional(
      z.union([
        z.strictObject({ npm: z.string().check(z.minLength(1)), version: z.string().check(z.minLength(1)) }),
        z.strictObject({ pypi: z.string().check(z.minLength(1)), version: z.string().check(z.minLength(1)), lock: z.string().check(z.minLength(1)) }),
        z.strictObject({ folder: z.string().check(z.minLength(1)), install: z.optional(z.string().check(z.minLength(1))) }),
      ], { error: 'one of {"npm": "<package>", "version": "<exact>"}, {"pypi": "<package>", "version": "<exact>", "lock": "<requirements file with hashes>"} or {"folder": "<path>", "install": "<command>"}' }),
    ),
    runtime: z.optional(z.enum(SERVER_RUNTIMES, { error: `one of ${SERVER_RUNTIMES.join(', ')}` })),
    ...LIMITS,
  }),
  http: z.strictObject({
    url: z.url({ protocol: /^https?$/, error: 'an http:// or https:// URL' }),
    headers: z._default(z.record(z.string().check(z.regex(HEADER_NAME, 'an HTTP header name')), configuredValue), {}),
    ...LIMITS,
  }),
} as const;

const auditOptions = z.strictObject({
  arguments: z._default(z.boolean(), false),
  result: z._default(z.boolean(), false),
  redact: z._default(z.array(z.string().check(z.minLength(1))), []),
});

/** An issue in words: zod/mini words an unknown field and a bad record key only as "Invalid input". */
function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((key) => JSON.stringify(key)).join(', ')}`;
  if (issue.code === 'invalid_key') return issue.issues.map((inner) => inner.message).join('; ');
  return issue.message;
}

/** A bad server list: names every field at fault, by its path (`servers.memory.stdio.command`). */
export class ServerListError extends Error {
  override name = 'ServerListError';
}

/**
 * Checks a server list in the shape an environment's config and a servers file share:
 * `{"servers": {"<name>": {"builtin": {}} | {"stdio": {...}} | {"http": {...}}}}`. Returns the list
 * and every problem, each as `<path>: <rule>` (`servers.memory.stdio.command: name the program to run`).
 */
export function checkServerList(value: unknown): { readonly list: ServerList; readonly problems: readonly string[] } {
  const problems: string[] = [];
  const problem = (path: string, message: string) => problems.push(`${path}: ${message}`);

  if (!isJsonObject(value)) return { list: [], problems: ['(root): expected an object {"servers": {...}}'] };
  for (const key of Object.keys(value).filter((key) => key !== 'servers')) problem(key, 'unknown field (a server list holds "servers" only)');
  const servers = value.servers;
  if (!isJsonObject(servers) || Object.keys(servers).length === 0) {
    problem('servers', 'name at least one server: {"<name>": {"builtin": {}} | {"stdio": {"command": ...}} | {"http": {"url": ...}}}');
    return { list: [], problems };
  }

  const list: Array<{ name: string; server: ServerEntry }> = [];
  for (const [name, entry] of Object.entries(servers)) {
    const path = `servers.${name}`;
    if (!SERVER_NAME_PATTERN.test(name)) problem(path, `a server name is 1-20 lowercase letters, digits and hyphens, starting with a letter (no "_": it separates the server from the tool in <server>_<tool>)`);
    const kinds = isJsonObject(entry) ? Object.keys(entry).filter((key) => key !== 'audit') : [];
    if (kinds.length !== 1 || !(kinds[0]! in KINDS)) {
      problem(path, `give exactly one kind: builtin, stdio or http (beside an optional audit)${kinds.length === 0 ? '' : ` (found ${kinds.map((kind) => JSON.stringify(kind)).join(', ')})`}`);
      continue;
    }
    const kind = kinds[0] as keyof typeof KINDS;
    const parsed = KINDS[kind].safeParse((entry as Record<string, unknown>)[kind]);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problem([path, kind, ...issue.path.map(String)].join('.'), describeIssue(issue));
      continue;
    }
    const audit = (entry as Record<string, unknown>).audit;
    const parsedAudit = audit === undefined ? undefined : auditOptions.safeParse(audit);
    if (parsedAudit?.success === false) {
      for (const issue of parsedAudit.error.issues) problem([path, 'audit', ...issue.path.map(String)].join('.'), describeIssue(issue));
      continue;
    }
    list.push({ name, server: { [kind]: parsed.data, ...(parsedAudit === undefined ? {} : { audit: parsedAudit.data }) } as ServerEntry });
  }
  if (list.filter(({ server }) => 'builtin' in server).length > 1) problem('servers', 'at most one builtin server (there is one set of in-repo tools)');
  return { list, problems };
}

/** {@link checkServerList}, throwing {@link ServerListError} with every problem; `source` names where the list came from. */
export function parseServerList(value: unknown, source: string): ServerList {
  const { list, problems } = checkServerList(value);
  if (problems.length > 0) throw new ServerListError(`${source}: ${problems.join('; ').replace(/^\(root\): /, '')}`);
  return list;
}

/** A server list in the shape it is read from: `{"servers": {"<name>": <entry>}}`, in its order. */
export function serverListJson(list: ServerList): { readonly servers: Readonly<Record<string, ServerEntry>> } {
  return { servers: Object.fromEntries(list.map(({ name, server }) => [name, server])) };
}

/** Where an entry's server list comes from: a servers file (`MCP_SERVERS_FILE`), or its JSON inline (`MCP_SERVERS`, as a deploy sets it). */
export type ServerListSource = { readonly file: string } | { readonly inline: string };

/** Reads and checks a server list; a missing file or bad JSON is a {@link ServerListError} naming its source. */
export function readServerList(source: ServerListSource): ServerList {
  let text: string;
  const name = 'file' in source ? source.file : 'MCP_SERVERS';
  if ('file' in source) {
    try {
      text = readFileSync(source.file, 'utf8');
    } catch (error) {
      throw new ServerListError(`${source.file}: cannot read the servers file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  } else text = source.inline;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ServerListError(`${name}: not valid JSON (${(error as Error).message})`);
  }
  return parseServerList(value, name);
}
