/** What the bridge records about one finished HTTP request, for logs and metrics. */
export interface RequestRecord {
  readonly requestId: string;
  readonly method: string;
  /** The request path, without query string. */
  readonly path: string;
  /** The route pattern that served it (`/mcp`, `/health`, …) or `unmatched`. */
  readonly route: string;
  readonly status: number;
  readonly durationMs: number;
  /** The JSON-RPC method, for `POST /mcp`. */
  readonly mcpMethod?: string | undefined;
  /** The tool name, for `tools/call`. */
  readonly toolName?: string | undefined;
  /** The server the tool call went to, when servers are configured. */
  readonly server?: string | undefined;
}

/** Receives a record of every finished request (metrics, tests). */
export type RequestObserver = (record: RequestRecord) => void;

/** Values the access log and the MCP endpoint hand each other through the Hono context. */
export interface McpVariables {
  /** The JSON-RPC method, for the log line (set by the endpoint). */
  mcpMethod?: string;
  /** The tool name of a `tools/call`, for the log line (set by the endpoint). */
  toolName?: string;
  /** The server a `tools/call` went to, when servers are configured (set by the endpoint). */
  server?: string | undefined;
  /** This request's id (set by the access log before any handler runs). */
  requestId?: string;
  /** A tool call's audit fields (`auditFields`), which the access log appends to the request's line (set by the endpoint). */
  auditFields?: string;
  /** Whether the response already carries `X-Request-Id` (see `withRequestId`). */
  requestIdSent?: boolean;
}
