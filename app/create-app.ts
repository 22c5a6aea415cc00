import { Hono, type Context, type Handler } from 'hono';
import type { ToolCallAudit } from './audit/tool-call-audit.js';
import { accessPolicy, type CallerAccess } from './auth/access-policy.js';
import { AccessRulesError, IMPLICIT_BUILTIN_SERVER, unknownNameProblems, type AccessRules } from './auth/access-rules.js';
import { bearerAuth, protectedResourceMetadataRoutes, type AuthSettings, type AuthVariables } from './auth/bearer-auth.js';
import { CONTRACT_META_KEY } from './contract/contract.js';
import { servedContract } from './contract/served-contract.js';
import { accessLog } from './http/access-log.js';
import { requestBodyLimit } from './http/body-limit.js';
import { mcpCors } from './http/cors.js';
import { dnsRebindingProtection } from './http/dns-rebinding.js';
import { pipeline, type AddGetRoute, type PipelineStep } from './http/pipeline.js';
import { rateLimit } from './http/rate-limit.js';
import type { McpVariables, RequestObserver } from './http/request-record.js';
import { mcpEndpoint, type Located } from './mcp/endpoint.js';
import { builtinFastPathTools, createFastPath } from './mcp/fast-path.js';
import { proxiedFastPathTools } from './mcp/proxy-fast-path.js';
import { jsonRpcError, JsonRpcErrorCode, LEGACY_PROTOCOL_VERSIONS, SERVED_PROTOCOL_VERSIONS } from './mcp/protocol.js';
import type { HealthReporter } from './runtime.js';
import type { CatalogView } from './servers/catalog.js';
import { builtinCatalog } from './servers/builtin-catalog.js';
import type { ServerSet } from './servers/server-set.js';
import type { ServerCatalog } from './servers/upstream.js';
import { tools as defaultTools } from './tools/registry.js';
import type { ToolDefinition } from './tools/tool.js';
import type { ServerIdentity } from './mcp/server.js';

/** Options for {@link createApp}. */
export interface AppOptions {
  /** The process's health facts, shared by `/health` and the `health_check` tool. */
  readonly health: HealthReporter;
  /**
   * Hostnames accepted in `Host`/`Origin` on `/mcp` (DNS-rebinding protection).
   * Entries derive it from `MCP_ALLOWED_HOSTS`; locally it is the loopback names.
   */
  readonly allowedHostnames: readonly string[];
  /**
   * Largest accepted `POST /mcp` body, in bytes. Larger bodies get 413 without being read whole.
   * @default 1048576 (1 MiB)
   */
  readonly maxBodyBytes?: number;
  /**
   * The tools to serve.
   * @default - every tool in `app/tools/registry.ts`
   */
  readonly tools?: readonly ToolDefinition[];
  /**
   * The `tools/list` result for `tools` as JSON, rendered ahead of time (at build time, in the Lambda bundle).
   * @default - rendered from `tools` at start-up
   */
  readonly toolsListJson?: string;
  /**
   * Observers of every finished request (the Node entry's Prometheus metrics).
   * @default - none
   */
  readonly observers?: readonly RequestObserver[];
  /**
   * Extra `GET` routes served by this platform only (the Node entry's `/metrics`), added behind the access log.
   * @default - none
   */
  readonly extraRoutes?: (get: AddGetRoute) => void;
  /**
   * Where log lines go.
   * @default - stdout, one line each, without console formatting
   */
  readonly log?: (line: string) => void;
  /**
   * How `/mcp` authenticates.
   * @default { mode: 'none' }
   */
  readonly auth?: AuthSettings;
  /**
   * Who may use which server and tool (`MCP_ACCESS`): what a caller may not use is left out of its
   * lists and a call to it is refused (403 `insufficient_scope`) before it reaches a server. A grant
   * naming a server or tool that is not served throws {@link AccessRulesError}.
   * @default - none: every authenticated caller may use everything
   */
  readonly access?: AccessRules;
  /**
   * Per-client token bucket on `/mcp`.
   * @default { requestsPerMinute: 600, burst: 60 }
   */
  readonly rateLimit?: { readonly requestsPerMinute: number; readonly burst: number };
  /**
   * The client's address, the rate limit's key (the platform knows which header or field to trust).
   * @default - one shared bucket
   */
  readonly clientAddressOf?: (c: Context) => string;
  /**
   * How long one tool call may run, in milliseconds.
   * @default 10000
   */
  readonly toolTimeoutMs?: number;
  /**
   * Answer the common 2025-era requests (`initialize`, `ping`, `tools/list`, valid `tools/call`,
   * notifications) without building an SDK server; every other request goes to the SDK.
   * @default true
   */
  readonly fastPath?: boolean;
  /**
   * The started servers to serve (`MCP_SERVERS_FILE` or `MCP_SERVERS`): `/mcp` serves every one (tools named
   * `<server>_<tool>` once there is more than one), `/servers/<name>/mcp` each under its own names,
   * and `/health` answers 503 while one cannot serve. A set of the built-in server alone is served
   * as without one, fast path and all.
   * @default - the built-in tools alone (`tools`), on the fast path
   */
  readonly servers?: ServerSet;
  /**
   * The platform's request id for a request (the AWS request id on Lambda).
   * @default - `X-Request-Id` header, else a random UUID
   */
  readonly requestIdOf?: (headers: Headers, env: unknown) => string | undefined;
}

/** Writes one log line to stdout as it is: no console prefix or formatting on any platform. */
function writeLine(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** The MCP server's name, as announced to clients. */
export const SERVER_NAME = 'mcp-multicloud-bridge';

/**
 * The MCP bridge as a web-standard Hono app: `POST /mcp` (MCP Streamable HTTP,
 * stateless, JSON responses) behind DNS-rebinding protection, CORS, a per-client rate
 * limit and bearer auth; `GET /health` (always open); the OAuth Protected Resource
 * Metadata in oauth mode; and whatever the platform entry adds.
 * Knows nothing of Node or Lambda.
 *
 * @example
 * const app = createApp({ health, allowedHostnames: ['localhost', '127.0.0.1', '[::1]'] })
 * const res = await app.request('/health')
 */
export function createApp(options: AppOptions): Hono<{ Variables: McpVariables & AuthVariables }> {
  const {
    maxBodyBytes = 1024 * 1024,
    tools = defaultTools,
    log = writeLine,
    auth = { mode: 'none' },
    rateLimit: limits = { requestsPerMinute: 600, burst: 60 },
    clientAddressOf = () => 'all-clients',
    toolTimeoutMs = 10_000,
    fastPath = true,
  } = options;
  const toolContext = { health: options.health, timeoutMs: toolTimeoutMs };
  const identity = { name: SERVER_NAME, version: options.health.version };
  const logError = (error: Error) =>
    log(JSON.stringify({ severity: 'ERROR', message: `MCP server error: ${error.message}` }));

  const app = new Hono<{ Variables: McpVariables & AuthVariables }>();
  const onError = (error: unknown, c: Context) => {
    logError(error instanceof Error ? error : new Error(String(error)));
    return c.req.path === '/mcp'
      ? jsonRpcError(500, JsonRpcErrorCode.InternalError, 'Internal error')
      : c.json({ error: 'internal_error', message: 'Internal error' }, 500);
  };
  const requestLog = accessLog({
    write: log,
    ...(options.observers === undefined ? {} : { observers: options.observers }),
    ...(options.requestIdOf === undefined ? {} : { requestIdOf: options.requestIdOf }),
  });
  // Every route is one handler (its steps run by `pipeline`, the access log first), never
  // `app.use()` layers: two matched handlers would make Hono compose them, an await per layer.
  type Variables = { Variables: McpVariables & AuthVariables };
  const logged = (...steps: PipelineStep<Variables>[]) => pipeline<Variables>([requestLog, ...steps], onError);
  const get: AddGetRoute = (path, handler) => app.get(path, logged(handler));
  /** `/mcp` takes POST only: any other method gets 405 once it has passed the guards (a CORS preflight is answered before). */
  const postOnly: PipelineStep<Variables> = (c, next) =>
    c.req.method === 'POST'
      ? next()
      : Promise.resolve(
          jsonRpcError(405, JsonRpcErrorCode.ServerError, 'Method Not Allowed: this stateless server accepts POST only', { Allow: 'POST' }),
        );

  // The contract served: without a servers list, the built-in tools as the implicit server.
  let implicitCatalog: ServerCatalog | undefined;
  const contract = servedContract(options.servers?.servers ?? [{ name: IMPLICIT_BUILTIN_SERVER, catalog: () => (implicitCatalog ??= builtinCatalog(tools)) }]);
  get('/health', (c) => {
    c.header('Cache-Control', 'no-store');
    const report = options.health.report();
    if (options.servers === undefined) return c.json({ ...report, contract: contract() });
    // A configured server that cannot serve is an outage: the load balancer, the Route 53 health check and the game day see it.
    const servers = options.servers.health();
    const serving = servers.every((server) => server.state === 'ready');
    return c.json({ ...report, status: serving ? 'ok' : 'unavailable', servers, contract: contract() }, serving ? 200 : 503);
  });
  protectedResourceMetadataRoutes(auth)(get);
  options.extraRoutes?.(get);

  /** The guards every MCP endpoint runs before its handler. */
  const mcpGuards = (): PipelineStep<Variables>[] => [
    dnsRebindingProtection({ allowedHostnames: options.allowedHostnames }),
    mcpCors({ allowedHostnames: options.allowedHostnames }),
    rateLimit({ ...limits, clientKeyOf: clientAddressOf }),
    ...(auth.mode === 'none' ? [] : [bearerAuth(auth)]),
    postOnly,
    requestBodyLimit({
      maxBytes: maxBodyBytes,
      onError: () =>
        jsonRpcError(413, JsonRpcErrorCode.InvalidRequest, `Payload Too Large: the body exceeds ${maxBodyBytes} bytes`, {
          // The rest of the body is never read, so the connection cannot carry another request.
          Connection: 'close',
        }),
    }),
  ];
  const sdkShared = {
    protocolVersions: SERVED_PROTOCOL_VERSIONS,
    onError: logError,
    onNotice: (message: string) => log(JSON.stringify({ severity: 'NOTICE', message: `MCP SDK: ${message}` })),
  };
  const servers = options.servers;
  const builtinAlone = servers !== undefined && servers.servers.length === 1 && servers.health()[0]!.kind === 'builtin';
  const policy = options.access === undefined ? undefined : accessPolicy(options.access);
  if (options.access !== undefined) {
    const served = new Map<string, readonly string[]>(
      servers === undefined ? [[IMPLICIT_BUILTIN_SERVER, tools.map((tool) => tool.name)]] : servers.servers.map((server) => [server.name, server.catalog().tools.map((tool) => tool.name)]),
    );
    const problems = unknownNameProblems(options.access, served, 'MCP_ACCESS');
    if (problems.length > 0) throw new AccessRulesError(problems.join('; '));
  }
  const serverNamed = new Map(servers?.servers.map((server) => [server.name, server]));
  const audit: ToolCallAudit = {
    write: log,
    serverReady: (name) => (serverNamed.get(name)?.health().state ?? 'ready') === 'ready',
    optionsOf: (name) => servers?.auditOptions?.get(name),
  };
  /** What `/mcp` (no server named) or one server's endpoint serves now: the fingerprint its `serverInfo` carries. */
  const fingerprintAt = (serverName: string | undefined) => (serverName === undefined ? () => contract().fingerprint : () => contract().servers[serverName]!);
  /**
   * An endpoint per set of grants its callers hold (one for all without access rules), built when
   * first called, and again once the contract it serves changed (a server's `list_changed`).
   */
  const perCaller = (fingerprint: () => string, build: (access: CallerAccess | undefined, identity: ServerIdentity) => Handler<Variables>): Handler<Variables> => {
    const identityFor = (contract: string): ServerIdentity => ({ ...identity, _meta: { [CONTRACT_META_KEY]: contract } });
    let builtFor: string | undefined;
    if (policy === undefined) {
      let endpoint: Handler<Variables> | undefined;
      return (c, next) => {
        const now = fingerprint();
        if (now !== builtFor) {
          endpoint = build(undefined, identityFor(now));
          builtFor = now;
        }
        return endpoint!(c, next);
      };
    }
    const built = new Map<string, Handler<Variables>>();
    return (c, next) => {
      const now = fingerprint();
      if (now !== builtFor) {
        built.clear();
        builtFor = now;
      }
      const access = policy.accessOf(c.get('authInfo'));
      let endpoint = built.get(access.key);
      if (endpoint === undefined) {
        endpoint = build(access, identityFor(now));
        built.set(access.key, endpoint);
      }
      return endpoint(c, next);
    };
  };
  const authorizationOf = (access: CallerAccess | undefined) => (access === undefined ? {} : { authorization: { access, policy: policy! } });

  /** Today's endpoint: the built-in tools (those the caller may use), on the fast path (unless turned off) and the SDK. */
  const builtinEndpoint = (serverName: string, contractAt: () => string) => {
    // The built-in tools never change: their contract is taken once.
    let taken: string | undefined;
    const fingerprint = () => (taken ??= contractAt());
    const located = new Map<string, Located>(tools.map((tool) => [tool.name, { server: serverName, inner: tool.name }]));
    const locate = (list: string, outer: string): Located | undefined => (list === 'tools' ? located.get(outer) : undefined);
    return perCaller(fingerprint, (access, identity) => {
      const served = access === undefined ? tools : tools.filter((tool) => access.allows(serverName, 'tools', tool.name));
      const listJson = served === tools ? options.toolsListJson : undefined;
      return mcpEndpoint({
        sdk: { serves: { tools: served, context: toolContext }, ...sdkShared, identity },
        locate,
        audit,
        ...authorizationOf(access),
        ...(fastPath ? { fastPath: createFastPath({ identity, tools: builtinFastPathTools(served, toolContext, listJson), legacyVersions: LEGACY_PROTOCOL_VERSIONS }) } : {}),
      });
    });
  };
  /** The catalog as each set of grants sees it, made once per set. */
  const restrictedCatalogs = new Map<string, ReturnType<NonNullable<typeof servers>['catalog']['restricted']>>();
  const catalogFor = (access: CallerAccess | undefined) => {
    if (access === undefined) return servers!.catalog;
    let catalog = restrictedCatalogs.get(access.key);
    if (catalog === undefined) {
      catalog = servers!.catalog.restricted(access.allows);
      restrictedCatalogs.set(access.key, catalog);
    }
    return catalog;
  };
  /** An endpoint in front of servers (`/mcp`, or one server's): the SDK speaks the client's revision, each server its own. */
  const proxyEndpoint = (serverName?: string) => {
    const full = serverName === undefined ? servers!.catalog.all : servers!.catalog.byServer.get(serverName)!;
    const locate = (list: 'tools' | 'resources' | 'prompts', outer: string): Located | undefined => {
      const route = full.locate(list, outer);
      return route === undefined ? undefined : { server: route.server.name, inner: route.inner };
    };
    return perCaller(fingerprintAt(serverName), (access, identity) => {
      const catalog = catalogFor(access);
      const view = serverName === undefined ? catalog.all : catalog.byServer.get(serverName)!;
      return mcpEndpoint({
        sdk: { serves: { view }, ...sdkShared, identity },
        locate,
        audit,
        ...authorizationOf(access),
        ...(fastPath ? { fastPath: createFastPath({ identity, tools: proxiedFastPathTools(view), legacyVersions: LEGACY_PROTOCOL_VERSIONS }) } : {}),
      });
    });
  };

  app.all('/mcp', logged(...mcpGuards(), servers === undefined || builtinAlone ? builtinEndpoint(servers?.servers[0]!.name ?? IMPLICIT_BUILTIN_SERVER, fingerprintAt(undefined)) : proxyEndpoint()));
  for (const server of servers?.servers ?? []) {
    const endpoint = server.health().kind === 'builtin' ? builtinEndpoint(server.name, fingerprintAt(server.name)) : proxyEndpoint(server.name);
    app.all(`/servers/${server.name}/mcp`, logged(...mcpGuards(), endpoint));
  }

  const notFound = logged((c) => c.json({ error: 'not_found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.notFound(async (c) => {
    await notFound(c);
    return c.res;
  });
  return app;
}
