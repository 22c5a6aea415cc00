/**
 * The MCP protocol revisions this bridge serves, newest first. 2026-07-28 is the
 * stateless revision (per-request `_meta`, `server/discover`); 2025-11-25, 2025-06-18 and
 * 2025-03-26 are served statelessly through `initialize`, with JSON responses. 2025-03-26
 * clients send no `MCP-Protocol-Version` header and may send JSON-RPC batches.
 */
export const SERVED_PROTOCOL_VERSIONS = ['2026-07-28', '2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** The 2025-era revisions among them (served through `initialize`), preferred first. */
export const LEGACY_PROTOCOL_VERSIONS = ['2025-11-25', '2025-06-18', '2025-03-26'] as const;

/** The revision that allowed JSON-RPC batches (2025-06-18 removed them), assumed when a request names none. */
export const BATCHING_PROTOCOL_VERSION = '2025-03-26';

/**
 * The JSON-RPC methods this bridge serves (its only capability is tools), by every revision it
 * speaks: what metrics may name; any other method a client sends is counted as `other`.
 */
export const SERVED_METHODS: ReadonlySet<string> = new Set([
  'initialize',
  'ping',
  'server/discover',
  'tools/list',
  'tools/call',
  'notifications/initialized',
  'notifications/cancelled',
  'notifications/progress',
  'notifications/roots/list_changed',
]);

/** The JSON-RPC code for a request that timed out (the SDK's own, -32001). */
export const REQUEST_TIMEOUT = -32001;

/** JSON-RPC 2.0 error codes the bridge answers with. */
export const JsonRpcErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** The SDK's code for transport-level rejections (wrong Accept, Content-Type, version). */
  ServerError: -32000,
} as const;

/**
 * A JSON-RPC error response with `id: null` (for faults found before a request id is
 * known) and the given HTTP status. Every error the bridge words itself goes through here.
 */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code, message }, id: null }), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

/** The JSON-RPC method and tool name of a parsed body, for logs and metrics. */
export function describeMessage(body: unknown): { mcpMethod?: string; toolName?: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return {};
  const { method, params } = body as { method?: unknown; params?: { name?: unknown } };
  if (typeof method !== 'string') return {};
  const toolName = method === 'tools/call' && typeof params?.name === 'string' ? params.name : undefined;
  return toolName === undefined ? { mcpMethod: method } : { mcpMethod: method, toolName };
}
