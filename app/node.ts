import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Server } from 'node:http';
import { AccessRulesError } from './auth/access-rules.js';
import { createApp, SERVER_NAME } from './create-app.js';
import { EnvironmentError, readSettings } from './environment.js';
import { batchedLineWriter } from './http/line-writer.js';
import { createMetrics } from './metrics.js';
import { HealthReporter } from './runtime.js';
import { ServerListError } from './servers/server-list.js';
import type { ServerSet } from './servers/server-set.js';
import { ServerStartError, ToolNameError } from './servers/start-errors.js';
import { tools } from './tools/registry.js';

/** The process's log lines, batched into one stdout write per event-loop turn. */
const stdoutLines = batchedLineWriter();

/** How long SIGTERM waits for in-flight requests before closing what is left. Cloud Run allows 10 s. */
const DRAIN_TIMEOUT_MS = 8_000;

/** A listening Node server, the port it got, and the servers it fronts. */
export interface RunningServer {
  readonly server: ServerType;
  readonly port: number;
  /** The configured servers it started (`MCP_SERVERS_FILE` or `MCP_SERVERS`), to stop after draining. */
  readonly servers?: ServerSet;
}

/** What stops the Node entry from starting, said in one line that names what is wrong: it exits 1. */
const STARTUP_ERRORS = [EnvironmentError, ServerListError, ServerStartError, ToolNameError, AccessRulesError];

/**
 * The Node entry, for Cloud Run and local use: listens on `$PORT` on 0.0.0.0 and
 * serves `/metrics` as well. On SIGTERM or SIGINT it stops accepting connections,
 * lets in-flight requests finish, and exits 0.
 *
 * @param env - the environment variables to read (`PORT=0` picks a free port)
 * @param log - where log lines go (default: stdout, batched per event-loop turn)
 */
export async function startNodeServer(
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = stdoutLines.write,
): Promise<RunningServer> {
  const settings = readSettings(env, env.K_SERVICE === undefined ? 'local' : 'cloud-run');
  const health = new HealthReporter(settings.runtime);
  const metrics = createMetrics({ toolNames: tools.map((tool) => tool.name) });
  let servers: ServerSet | undefined;
  if (settings.serverList !== undefined) {
    const recordForwarded = metrics.watchServers(() => servers?.health() ?? []);
    // Loaded only when servers are configured: the built-in tools alone start as they always did.
    const { startConfiguredServers } = await import('./servers/configured-servers.js');
    servers = await startConfiguredServers({
      source: settings.serverList,
      settings,
      identity: { name: SERVER_NAME, version: settings.runtime.version },
      health,
      environment: env,
      log,
      onRequest: recordForwarded,
    });
  }
  const app = createApp({
    ...settings.app,
    health,
    ...(servers === undefined ? {} : { servers }),
    clientAddressOf: settings.runtime.platform === 'cloud-run' ? forwardedClientAddress : socketAddress,
    observers: [metrics.observe],
    extraRoutes: metrics.routes,
    log,
  });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: settings.port, hostname: '0.0.0.0' }, (info) => {
      log(
        JSON.stringify({
          severity: 'INFO',
          message: `MCP bridge listening on http://0.0.0.0:${info.port}/mcp`,
          platform: settings.runtime.platform,
          version: settings.runtime.version,
          ...(servers === undefined ? {} : { servers: servers.servers.map((upstream) => upstream.name) }),
        }),
      );
      resolve({ server, port: info.port, ...(servers === undefined ? {} : { servers }) });
    });
  });
}

/**
 * The client's address behind Google's load balancer, which appends `<client>, <load balancer>`
 * to `X-Forwarded-For`: the second entry from the end (entries before it are the client's own claims).
 */
function forwardedClientAddress(c: Context): string {
  const hops = (c.req.header('x-forwarded-for') ?? '').split(',').map((hop) => hop.trim());
  return hops.length >= 2 ? hops[hops.length - 2]! : socketAddress(c);
}

/** The peer address of the connection (local use: no proxy in front). */
function socketAddress(c: Context): string {
  return getConnInfo(c).remote.address ?? 'unknown';
}

/** Stops accepting connections, waits for in-flight requests (bounded), then resolves. */
export function drain(server: ServerType, timeoutMs = DRAIN_TIMEOUT_MS): Promise<'drained' | 'timed-out'> {
  const http = server as Server;
  return new Promise((resolve) => {
    // Keep-alive sockets become idle as their last response ends: close them as they do.
    const sweeper = setInterval(() => http.closeIdleConnections(), 50);
    const timer = setTimeout(() => {
      clearInterval(sweeper);
      http.closeAllConnections();
      resolve('timed-out');
    }, timeoutMs);
    http.close(() => {
      clearInterval(sweeper);
      clearTimeout(timer);
      resolve('drained');
    });
    http.closeIdleConnections();
  });
}

async function main(): Promise<void> {
  let running: RunningServer;
  try {
    running = await startNodeServer();
  } catch (error) {
    if (!STARTUP_ERRORS.some((kind) => error instanceof kind)) throw error;
    console.error(JSON.stringify({ severity: 'CRITICAL', message: (error as Error).message }));
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stdoutLines.write(JSON.stringify({ severity: 'INFO', message: `${signal} received: draining` }));
    void drain(running.server).then(async (outcome) => {
      await running.servers?.close();
      stdoutLines.write(JSON.stringify({ severity: 'INFO', message: `shutdown: ${outcome}` }));
      stdoutLines.flush();
      process.exit(outcome === 'drained' ? 0 : 1);
    });
  };
  // Whatever way the process ends, the lines still queued are written (stdout to a pipe or a file is synchronous).
  process.on('exit', () => stdoutLines.flush());
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
