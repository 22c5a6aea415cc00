import { SdkError, SdkErrorCode } from '@modelcontextprotocol/client';
import { ProtocolError, ProtocolErrorCode, type Result } from '@modelcontextprotocol/server';
import type { ServerIdentity } from '../mcp/server.js';
import { connect, type McpConnection, type TransportPlan } from './mcp-connection.js';
import { ServerStartError } from './start-errors.js';
import { EMPTY_CATALOG, REQUEST_TIMEOUT, serverError, type ForwardedMethod, type ServerCatalog, type ServerHealth, type ServerState, type UpstreamServer } from './upstream.js';

/** Options of {@link superviseServer}. */
export interface SupervisorOptions {
  /** The server's configured name. */
  readonly name: string;
  /** How to reach it. */
  readonly plan: TransportPlan;
  /** Who the bridge says it is to the server. */
  readonly identity: ServerIdentity;
  /** How long connecting and reading its lists may take, in milliseconds. */
  readonly startTimeoutMs: number;
  /** How long one forwarded request may take, in milliseconds (`MCP_TOOL_TIMEOUT_MS`); then it is cancelled. */
  readonly requestTimeoutMs: number;
  /** Requests in flight at once over its connection; more wait their turn (the wait counts toward the timeout). */
  readonly maxInFlight: number;
  /** Where log lines go. */
  readonly log: (line: string) => void;
  /**
   * The first wait before a restart, in milliseconds; each failed restart doubles it.
   * @default 500
   */
  readonly initialBackoffMs?: number;
  /**
   * The longest wait before a restart, in milliseconds.
   * @default 30000
   */
  readonly maxBackoffMs?: number;
  /** Called each time the server is restarted (metrics). */
  readonly onRestart?: () => void;
}

/** A connection that stayed up this long resets the backoff to its first wait. */
const STABLE_AFTER_MS = 60_000;

/**
 * Starts one stdio or HTTP server and keeps it serving: one connection per server per instance,
 * every request multiplexed over it (the SDK client maps ids), at most `maxInFlight` at once, each
 * bounded by the request timeout and cancelled at the server (`notifications/cancelled`) when it
 * passes it or its client goes away. When the connection is lost (the child exited, the URL stopped
 * answering) the requests in flight are answered with an error naming the server, the server is
 * `restarting` (so `/health` fails), and it is started again after a backoff that doubles up to
 * `maxBackoffMs`. Resolves once the first start succeeded; rejects with {@link ServerStartError} if it
 * did not.
 */
export async function superviseServer(options: SupervisorOptions): Promise<UpstreamServer> {
  const { name, plan, log, initialBackoffMs = 500, maxBackoffMs = 30_000 } = options;
  let state: ServerState = 'starting';
  let reason: string | undefined;
  let connection: McpConnection | undefined;
  let catalog: ServerCatalog = EMPTY_CATALOG;
  let restarts = 0;
  let inFlight = 0;
  let backoffMs = initialBackoffMs;
  let connectedAtMs = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const waiting: Array<() => void> = [];

  const logLine = (severity: string, message: string) => log(JSON.stringify({ severity, server: name, message }));

  const open = () =>
    connect(plan, {
      identity: options.identity,
      timeoutMs: options.startTimeoutMs,
      onCatalog: (fresh) => {
        catalog = fresh;
        logLine('INFO', `server "${name}" changed its lists: ${fresh.tools.length} tools, ${fresh.resources.length} resources, ${fresh.prompts.length} prompts`);
      },
      onLost: (why) => lost(why),
      onProblem: (message) => logLine('WARNING', `server "${name}": ${message}`),
    });

  const lost = (why: string) => {
    if (state === 'stopped') return;
    connection = undefined;
    state = 'restarting';
    reason = `exited or closed its connection (${why})`;
    if (Date.now() - connectedAtMs >= STABLE_AFTER_MS) backoffMs = initialBackoffMs;
    logLine('ERROR', `server "${name}" (${plan.target}) ${reason}; restarting in ${backoffMs} ms`);
    scheduleRestart();
  };

  const scheduleRestart = () => {
    restartTimer = setTimeout(() => {
      restartTimer = undefined;
      restarts += 1;
      options.onRestart?.();
      open().then(
        (fresh) => {
          if (state === 'stopped') return void fresh.close();
          adopt(fresh);
          logLine('INFO', `server "${name}" is serving again after restart ${restarts}`);
        },
        (error: Error) => {
          if (state === 'stopped') return;
          reason = `could not restart: ${error.message}`;
          backoffMs = Math.min(backoffMs * 2, maxBackoffMs);
          logLine('ERROR', `server "${name}" (${plan.target}) ${reason}; next try in ${backoffMs} ms`);
          scheduleRestart();
        },
      );
    }, backoffMs);
    restartTimer.unref();
  };

  const adopt = (fresh: McpConnection) => {
    connection = fresh;
    catalog = fresh.catalog;
    state = 'ready';
    reason = undefined;
    connectedAtMs = Date.now();
  };

  try {
    adopt(await open());
  } catch (error) {
    state = 'stopped';
    throw new ServerStartError(`Server "${name}" (${plan.kind}: ${plan.target}) could not start: ${(error as Error).message}`);
  }

  /**
   * Takes one of the `maxInFlight` slots, waiting for one to be handed over if none is free; resolves
   * `false` if the signal fires first. A slot given back goes straight to the next waiter.
   */
  const slot = (clientSignal: AbortSignal, timeoutMs: number): Promise<boolean> | boolean => {
    if (inFlight < options.maxInFlight) {
      inFlight += 1;
      return true;
    }
    return new Promise((resolve) => {
      // A timer that is cleared once the slot comes (an AbortSignal.timeout would fire regardless, later).
      const end = (got: boolean) => {
        clearTimeout(deadline);
        clientSignal.removeEventListener('abort', give);
        if (!got) waiting.splice(waiting.indexOf(take), 1);
        resolve(got);
      };
      const take = () => end(true);
      const give = () => end(false);
      const deadline = setTimeout(give, timeoutMs);
      waiting.push(take);
      clientSignal.addEventListener('abort', give, { once: true });
    });
  };
  const release = () => {
    const next = waiting.shift();
    if (next === undefined) inFlight -= 1;
    else next();
  };

  const unavailable = () => serverError(name, `is not serving (${state}${reason === undefined ? '' : `: ${reason}`})`);

  return {
    name,
    catalog: () => catalog,
    async request(method: ForwardedMethod, params: Record<string, unknown>, clientSignal: AbortSignal): Promise<Result> {
      if (connection === undefined) throw unavailable();
      const startedAt = Date.now();
      // A free slot is taken at once; only a request that must wait gets a deadline signal of its own.
      const gotSlot = slot(clientSignal, options.requestTimeoutMs);
      if (!(gotSlot === true || (await gotSlot))) throw timedOut(method, startedAt, clientSignal);
      const current = connection;
      try {
        if (current === undefined) throw unavailable();
        const left = options.requestTimeoutMs - (Date.now() - startedAt);
        return await current.forward(method, params, { signal: clientSignal, timeoutMs: Math.max(left, 1) });
      } catch (error) {
        throw translate(error, method, startedAt, clientSignal, current);
      } finally {
        release();
      }
    },
    health: () => ({ name, kind: plan.kind, state, ...(reason === undefined ? {} : { reason }), restarts, inFlight }),
    close: async () => {
      state = 'stopped';
      clearTimeout(restartTimer);
      await connection?.close();
      connection = undefined;
    },
  };

  function timedOut(method: string, startedAt: number, clientSignal: AbortSignal): ProtocolError {
    return clientSignal.aborted
      ? serverError(name, `was not asked ${method}: the client went away`, ProtocolErrorCode.InternalError)
      : serverError(name, `did not answer ${method} within ${options.requestTimeoutMs} ms (waited ${Date.now() - startedAt} ms for one of its ${options.maxInFlight} request slots)`, REQUEST_TIMEOUT);
  }

  /** The SDK's error for a forwarded request, as the client sees it: always naming the server. */
  function translate(error: unknown, method: string, startedAt: number, clientSignal: AbortSignal, current: McpConnection | undefined): unknown {
    if (error instanceof ProtocolError) {
      // The server's own JSON-RPC error: its code and data, the message naming it.
      return serverError(name, `answered ${method} with an error: ${error.message}`, error.code);
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.RequestTimeout) {
      return clientSignal.aborted
        ? serverError(name, `was sent notifications/cancelled for ${method}: the client went away`)
        : serverError(name, `did not answer ${method} within ${options.requestTimeoutMs} ms (cancelled at the server)`, REQUEST_TIMEOUT);
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.ConnectionClosed) {
      const said = current?.lastWords().at(-1);
      return serverError(name, `exited while answering ${method}${said === undefined ? '' : ` (its last stderr: ${said})`}; it is being restarted`);
    }
    if (error instanceof SdkError && error.code === SdkErrorCode.InvalidResult) {
      return serverError(name, `answered ${method} with something that is not its result (${error.message})`);
    }
    const why = (error as Error).message;
    // An HTTP server that cannot be reached is down as a child that exited is: restarted (reconnected) with backoff.
    if (plan.kind === 'http' && current !== undefined && connection === current) {
      void current.close().catch(() => {});
      lost(why);
    }
    return serverError(name, `could not be asked ${method}: ${why} (after ${Date.now() - startedAt} ms)`);
  }
}
