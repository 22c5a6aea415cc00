import type { Context, Handler } from 'hono';
import type { AuthVariables } from '../auth/bearer-auth.js';
import { withRequestId } from '../http/access-log.js';
import type { McpVariables } from '../http/request-record.js';
import type { FastPath } from './fast-path.js';
import { BATCHING_PROTOCOL_VERSION, describeMessage, JsonRpcErrorCode, jsonRpcError } from './protocol.js';
import type { SdkPath, SdkPathOptions } from './sdk-path.js';

const JSON_CONTENT = { 'Content-Type': 'application/json' };

/** Options for {@link mcpEndpoint}. */
export interface McpEndpointOptions {
  /** How the official SDK serves what the fast path does not. */
  readonly sdk: SdkPathOptions;
  /**
   * Answers the common 2025-era requests without an SDK server; `undefined` hands a request to the SDK.
   * @default - every request goes to the SDK
   */
  readonly fastPath?: FastPath;
  /**
   * The server a tool call goes to, for the log line and metrics.
   * @default - none named (the built-in tools alone)
   */
  readonly serverOf?: (toolName: string) => string | undefined;
}

/**
 * The `POST /mcp` handler: MCP Streamable HTTP, stateless, JSON responses.
 *
 * The body is read and parsed once here (size already bounded by the body-limit
 * middleware), so that malformed JSON and batch arrays get a precise JSON-RPC error
 * and the logs can name the method and tool. The fast path answers the common
 * requests; everything else goes to the official SDK with a new server per request.
 * The SDK is loaded on first use, so a cold start that needs only the fast path
 * never pays for it.
 */
export function mcpEndpoint(options: McpEndpointOptions): Handler<{ Variables: McpVariables & AuthVariables }> {
  let sdk: Promise<SdkPath> | undefined;
  const loadSdk = () => (sdk ??= import('./sdk-path.js').then(({ createSdkPath }) => createSdkPath(options.sdk)));

  return async (c) => {
    const parsed = await readJsonRpcBody(c);
    if (parsed instanceof Response) return parsed;
    const { mcpMethod, toolName } = describeMessage(parsed.body);
    c.set('mcpMethod', mcpMethod);
    c.set('toolName', toolName);
    if (toolName !== undefined && options.serverOf !== undefined) c.set('server', options.serverOf(toolName));
    const answer = options.fastPath?.(parsed.body, (name) => c.req.header(name), () => c.req.raw.signal);
    const fast = answer instanceof Promise ? await answer : answer;
    if (fast !== undefined) {
      return new Response(fast.json, { status: fast.status, headers: withRequestId(c, fast.json === null ? {} : JSON_CONTENT) });
    }
    return (await loadSdk())(c.req.raw, parsed.body, c.get('authInfo'));
  };
}

/**
 * Reads the body as JSON, answering the faults the SDK would otherwise word
 * vaguely: wrong Content-Type (415), malformed JSON (400 / -32700), a batch array
 * (400 / -32600: batching was removed in 2025-06-18; a 2025-03-26 request may still batch).
 */
async function readJsonRpcBody(c: Context): Promise<{ body: unknown } | Response> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return jsonRpcError(415, JsonRpcErrorCode.ServerError, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonRpcError(400, JsonRpcErrorCode.ParseError, 'Parse error: the request body is not valid JSON');
  }
  // 2025-03-26 allowed batches (and had no version header): the SDK serves those; later revisions removed them.
  const version = c.req.header('mcp-protocol-version');
  if (Array.isArray(body) && (version === undefined || version === BATCHING_PROTOCOL_VERSION)) return { body };
  if (Array.isArray(body)) {
    return jsonRpcError(
      400,
      JsonRpcErrorCode.InvalidRequest,
      'Invalid Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request',
    );
  }
  return { body };
}
