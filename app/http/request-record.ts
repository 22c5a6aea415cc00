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
  readonly mcpMethod?: string;
  /** The tool name, for `tools/call`. */
  readonly toolName?: string;
}

/** Receives a record of every finished request (metrics, tests). */
export type RequestObserver = (record: RequestRecord) => void;

/** Values the MCP endpoint hands to the request-logging middleware through the Hono context. */
export interface McpVariables {
  mcpMethod?: string;
  toolName?: string;
}
