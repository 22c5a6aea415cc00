import { ProtocolError, ProtocolErrorCode, type Prompt, type Resource, type ResourceTemplateType as ResourceTemplate, type Result, type Tool } from '@modelcontextprotocol/server';

/** What one server lists: its tools, resources, resource templates and prompts, under its own names. */
export interface ServerCatalog {
  readonly tools: readonly Tool[];
  readonly resources: readonly Resource[];
  readonly resourceTemplates: readonly ResourceTemplate[];
  readonly prompts: readonly Prompt[];
}

/** A catalog with nothing in it. */
export const EMPTY_CATALOG: ServerCatalog = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

/** The requests the bridge forwards to the server that owns the tool, resource or prompt. */
export type ForwardedMethod = 'tools/call' | 'resources/read' | 'prompts/get';

/** Where a server is in its life: `ready` is the only state that serves. */
export type ServerState = 'starting' | 'ready' | 'restarting' | 'stopped';

/** One server's health, as `/health` and the metrics show it. */
export interface ServerHealth {
  readonly name: string;
  readonly kind: 'builtin' | 'stdio' | 'http';
  readonly state: ServerState;
  /** Why it cannot serve, while it cannot. */
  readonly reason?: string;
  /** How many times it was restarted since the bridge started. */
  readonly restarts: number;
  /** Requests sent to it and not yet answered. */
  readonly inFlight: number;
}

/**
 * One server behind the bridge, whatever its kind: what it lists, a request forwarded to it, and its
 * health. The protocol revision it speaks is its own business.
 */
export interface UpstreamServer {
  /** Its configured name. */
  readonly name: string;
  /** What it lists now (kept fresh when it says its lists changed). */
  catalog(): ServerCatalog;
  /**
   * Forwards one request under the server's own names. Rejects with a {@link ProtocolError} naming the
   * server when it cannot answer (not running, timed out, exited), or with the server's own error.
   * Aborting `signal` (the client went away) cancels the request at the server.
   */
  request(method: ForwardedMethod, params: Record<string, unknown>, signal: AbortSignal): Promise<Result>;
  health(): ServerHealth;
  /** Stops it; requests in flight are answered with an error. */
  close(): Promise<void>;
}

/** The JSON-RPC code for a forwarded request that timed out (the SDK's own, -32001). */
export { REQUEST_TIMEOUT } from '../mcp/protocol.js';

/** A JSON-RPC error naming the server, for a client whose request it could not answer. */
export function serverError(server: string, message: string, code: number = ProtocolErrorCode.InternalError): ProtocolError {
  return new ProtocolError(code, `Server "${server}" ${message}`, { server });
}
