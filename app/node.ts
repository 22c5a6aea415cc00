import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';
import type { Server } from 'node:http';
import { createApp } from './create-app.js';
import { EnvironmentError, readSettings } from './environment.js';
import { batchedLineWriter } from './http/line-writer.js';
import { createMetrics } from './metrics.js';
import { HealthReporter } from './runtime.js';
import { tools } from './tools/registry.js';

/** The process's log lines, batched into one stdout write per event-loop turn. */
const stdoutLines = batchedLineWriter();

/** How long SIGTERM waits for in-flight requests before closing what is left. Cloud Run allows 10 s. */
const DRAIN_TIMEOUT_MS = 8_000;

/** A listening Node server and the port it got. */
export interface RunningServer {
  readonly server: ServerType;
  readonly port: number;
}

/**
 * The Node entry, for Cloud Run and local use: listens on `$PORT` on 0.0.0.0 and
 * serves `/metrics` as well. On SIGTERM or SIGINT it stops accepting connections,
 * lets in-flight requests finish, and exits 0.
 *
 * @param env - the environment variables to read (`PORT=0` picks a free port)
 * @param log - where log lines go (default: stdout, batched per event-loop turn)
 */
export function startNodeServer(
  env: Record<string, string | undefined> = process.env,
  log: (line: string) => void = stdoutLines.write,
): Promise<RunningServer> {
  const settings = readSettings(env, env.K_SERVICE === undefined ? 'local' : 'cloud-run');
  const metrics = createMetrics({ toolNames: tools.map((tool) => tool.name) });
  const app = createApp({
    ...settings.app,
    health: new HealthReporter(settings.runtime),
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
        }),
      );
      resolve({ server, port: info.port });
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
  let server: ServerType;
  try {
    ({ server } = await startNodeServer());
  } catch (error) {
    if (!(error instanceof EnvironmentError)) throw error;
    console.error(JSON.stringify({ severity: 'CRITICAL', message: error.message }));
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    stdoutLines.write(JSON.stringify({ severity: 'INFO', message: `${signal} received: draining` }));
    void drain(server).then((outcome) => {
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
