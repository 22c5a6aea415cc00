import type { ServerIdentity } from '../mcp/server.js';
import type { ToolContext, ToolDefinition } from '../tools/tool.js';
import { builtinServer } from './builtin-server.js';
import { buildCatalog, type Catalog } from './catalog.js';
import { httpPlan } from './http-plan.js';
import type { ServerAuditOptions, ServerList } from './server-list.js';
import { stdioPlan } from './stdio-plan.js';
import { ServerStartError } from './start-errors.js';
import { superviseServer } from './supervisor.js';
import { REQUEST_TIMEOUT, type ForwardedMethod, type ServerHealth, type UpstreamServer } from './upstream.js';

/** Options of {@link startServers}. */
export interface StartServersOptions {
  /** Who the bridge says it is to its servers. */
  readonly identity: ServerIdentity;
  /** The in-repo tools a `builtin` entry serves, and what they may use. */
  readonly builtin: { readonly tools: readonly ToolDefinition[]; readonly context: ToolContext };
  /** Where secrets named by reference are read from: the bridge's own environment. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** How long one forwarded request may take, in milliseconds (`MCP_TOOL_TIMEOUT_MS`). */
  readonly requestTimeoutMs: number;
  /** Where log lines go (the servers' stderr among them, tagged). */
  readonly log: (line: string) => void;
  /**
   * The first wait before restarting a server that exited, in milliseconds.
   * @default 500
   */
  readonly initialBackoffMs?: number;
  /** Called with a server's name each time it is restarted (metrics). */
  readonly onRestart?: (server: string) => void;
  /** Called once per forwarded request when it is answered (metrics). */
  readonly onRequest?: (record: ForwardedRequestRecord) => void;
}

/** How a forwarded request ended: answered, answered with a tool error, or a JSON-RPC error of the server or the bridge. */
export type ForwardedOutcome = 'ok' | 'tool_error' | 'error' | 'timeout' | 'unavailable';

/** One forwarded request, for metrics. */
export interface ForwardedRequestRecord {
  readonly server: string;
  readonly method: ForwardedMethod;
  /** The tool or prompt name, or the resource URI, as the server knows it. */
  readonly target: string;
  readonly outcome: ForwardedOutcome;
  readonly durationMs: number;
}

/** A server whose every answered request is reported to `onRequest`. */
function observed(server: UpstreamServer, onRequest: (record: ForwardedRequestRecord) => void): UpstreamServer {
  return {
    ...server,
    catalog: () => server.catalog(),
    health: () => server.health(),
    close: () => server.close(),
    async request(method, params, signal) {
      const startedAt = performance.now();
      const target = String(params.name ?? params.uri);
      const report = (outcome: ForwardedOutcome) => onRequest({ server: server.name, method, target, outcome, durationMs: performance.now() - startedAt });
      try {
        const result = await server.request(method, params, signal);
        report((result as { isError?: unknown }).isError === true ? 'tool_error' : 'ok');
        return result;
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        report(code === REQUEST_TIMEOUT ? 'timeout' : server.health().state === 'ready' ? 'error' : 'unavailable');
        throw error;
      }
    },
  };
}

/** The started servers of an instance and what they list together. */
export interface ServerSet {
  readonly servers: readonly UpstreamServer[];
  readonly catalog: Catalog;
  /** Each server's health, in configured order. */
  readonly health: () => readonly ServerHealth[];
  /** Stops every server. */
  readonly close: () => Promise<void>;
  /**
   * What each server's audit lines keep beyond who called what (its config's `audit`), by server name.
   * @default - nothing more for any server
   */
  readonly auditOptions?: ReadonlyMap<string, ServerAuditOptions>;
}

/**
 * Starts every configured server at once (one child per stdio server, one connection per HTTP
 * server) and builds their catalog. If any cannot start, the others are stopped and a
 * {@link ServerStartError} names each that failed with what it ran.
 */
export async function startServers(list: ServerList, options: StartServersOptions): Promise<ServerSet> {
  const started = await Promise.allSettled(
    list.map(async ({ name, server }): Promise<UpstreamServer> => {
      if ('builtin' in server) return builtinServer(name, options.builtin.tools, options.builtin.context);
      const supervised = {
        name,
        identity: options.identity,
        requestTimeoutMs: options.requestTimeoutMs,
        log: options.log,
        ...(options.initialBackoffMs === undefined ? {} : { initialBackoffMs: options.initialBackoffMs }),
        ...(options.onRestart === undefined ? {} : { onRestart: () => options.onRestart!(name) }),
      };
      try {
        const [plan, { startTimeoutMs, maxInFlight }] =
          'stdio' in server ? [stdioPlan(name, server.stdio, options.environment, options.log), server.stdio] : [httpPlan(name, server.http, options.environment), server.http];
        return await superviseServer({ ...supervised, plan, startTimeoutMs, maxInFlight });
      } catch (error) {
        throw error instanceof ServerStartError ? error : new ServerStartError(`Server "${name}" could not start: ${(error as Error).message}`);
      }
    }),
  );
  const onRequest = options.onRequest;
  const servers = started.flatMap((outcome) => (outcome.status === 'fulfilled' ? [onRequest === undefined ? outcome.value : observed(outcome.value, onRequest)] : []));
  const failures = started.flatMap((outcome) => (outcome.status === 'rejected' ? [(outcome.reason as Error).message] : []));
  const close = async () => {
    await Promise.all(servers.map((server) => server.close()));
  };
  if (failures.length > 0) {
    await close();
    throw new ServerStartError(failures.join('\n'));
  }
  let catalog: Catalog;
  try {
    catalog = buildCatalog(servers);
  } catch (error) {
    await close();
    throw error;
  }
  const auditOptions = new Map(list.flatMap(({ name, server }) => (server.audit === undefined ? [] : [[name, server.audit] as const])));
  return { servers, catalog, health: () => servers.map((server) => server.health()), close, auditOptions };
}
