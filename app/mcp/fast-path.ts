import type { CallToolResult } from '@modelcontextprotocol/server';
import { runTool } from '../tools/run-tool.js';
import { callToolResultJson, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import type { ServerIdentity } from './server.js';

/** A JSON-RPC request as the fast path reads it; anything else goes to the SDK. */
interface Message {
  readonly jsonrpc?: unknown;
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: {
    readonly name?: unknown;
    readonly arguments?: unknown;
    readonly protocolVersion?: unknown;
    readonly capabilities?: unknown;
    readonly clientInfo?: { readonly name?: unknown; readonly version?: unknown };
    readonly _meta?: unknown;
  };
}

/** Options of {@link createFastPath}. */
export interface FastPathOptions {
  readonly identity: ServerIdentity;
  readonly tools: readonly ToolDefinition[];
  readonly context: ToolContext;
  /** The 2025-era revisions served, preferred first (`initialize` falls back to the first). */
  readonly legacyVersions: readonly string[];
  /**
   * The stateless revision served (no `initialize`; per-request `_meta`; `server/discover`).
   * @default '2026-07-28'
   */
  readonly modernVersion?: string;
  /**
   * The `tools/list` result for `tools` as JSON, when it was rendered ahead of time
   * (the Lambda bundle's build renders it, which saves a cold start the rendering).
   * @default - rendered from `tools` with {@link toolsListResult}
   */
  readonly toolsListJson?: string;
}

/** A fast-path answer: 200 with a JSON-RPC body, or 202 with none. */
export interface FastAnswer {
  readonly status: 200 | 202;
  /** The JSON text of the response, or `null` for 202. */
  readonly json: string | null;
}

/** A value, or a promise of it: the fast path answers synchronously unless a tool runs asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Answers one request, or returns `undefined` to hand it to the SDK; a promise only when the answer
 * waits for an asynchronous tool (each promise costs a request its allocation and a turn of the
 * microtask queue). The caller turns the answer into a response.
 */
export type FastPath = (body: unknown, header: (name: string) => string | undefined) => MaybePromise<FastAnswer | undefined>;

const ACCEPTED: FastAnswer = { status: 202, json: null };

/** The `tools/list` result, as the SDK renders it: JSON Schema draft 2020-12, object roots. */
export function toolsListResult(tools: readonly ToolDefinition[]): { tools: unknown[] } {
  const toJsonSchema = (tool: ToolDefinition, io: 'input' | 'output') => {
    const standard = (io === 'input' ? tool.inputSchema : tool.outputSchema)['~standard'] as unknown as {
      jsonSchema: Record<typeof io, (options: { target: string }) => Record<string, unknown>>;
    };
    const schema = standard.jsonSchema[io]({ target: 'draft-2020-12' });
    return { type: 'object', ...schema };
  };
  return {
    tools: tools.map((tool) => ({
      name: tool.name,
      title: tool.title,
      description: tool.description,
      inputSchema: toJsonSchema(tool, 'input'),
      outputSchema: toJsonSchema(tool, 'output'),
      annotations: tool.annotations,
    })),
  };
}

/**
 * The hot path of the stateless 2025-era protocol, without building an MCP server per
 * request: `ping`, `tools/list` (rendered once, at start-up or at build time), `initialize`, notifications,
 * and `tools/call` whose arguments pass the tool's schema. It keeps nothing between
 * requests: the only shared values are immutable (the rendered tool list) or per process
 * (the tool context). In the 2026-07-28 revision it answers `server/discover`, `tools/list` and
 * valid `tools/call` in the envelope current clients send. Every other request — errors,
 * unknown tools or methods, invalid arguments, unusual envelopes or headers — returns
 * `undefined` and is served by the official SDK, so the SDK stays the authority on every
 * protocol rule.
 */
export function createFastPath(options: FastPathOptions): FastPath {
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));
  const toolsList = options.toolsListJson ?? JSON.stringify(toolsListResult(options.tools));
  const capabilities = { tools: { listChanged: false } };
  const modernVersion = options.modernVersion ?? '2026-07-28';
  const reply = (id: unknown, resultJson: string): FastAnswer => ({
    status: 200,
    json: `{"result":${resultJson},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`,
  });
  // The stateless revision's result fields, as the SDK words them: a complete result, cache hints
  // where the method has them, and the server's identity in `_meta`. Rendered once.
  const serverMeta = JSON.stringify({ 'io.modelcontextprotocol/serverInfo': options.identity });
  const modernTail = `"resultType":"complete","_meta":${serverMeta}}`;
  const cachedTail = `"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":${serverMeta}}`;
  const modernToolsList = `${toolsList.slice(0, -1)},${cachedTail}`;
  const discover = `${JSON.stringify({ supportedVersions: [modernVersion], capabilities }).slice(0, -1)},${cachedTail}`;

  /** A tool call's answer (`render` turns its result JSON into the reply), or `undefined` to let the SDK word what went wrong. */
  const callTool = (params: NonNullable<Message['params']>, render: (resultJson: string) => FastAnswer): MaybePromise<FastAnswer | undefined> => {
    const tool = typeof params.name === 'string' ? toolsByName.get(params.name) : undefined;
    if (tool === undefined) return undefined;
    const input = tool.inputSchema.safeParse(params.arguments ?? {});
    if (!input.success) return undefined;
    const answer = (result: CallToolResult) =>
      result.structuredContent !== undefined && !tool.outputSchema.safeParse(result.structuredContent).success ? undefined : render(callToolResultJson(result));
    // A tool that throws (a bug) is left to the SDK, which words the error result.
    let result: ReturnType<typeof runTool>;
    try {
      result = runTool(tool, input.data, options.context);
    } catch {
      return undefined;
    }
    return result instanceof Promise ? result.then(answer, () => undefined) : answer(result);
  };

  /**
   * The stateless revision: taken only when the envelope is exactly what a current client sends
   * (the `_meta` protocol version, client info and capabilities; `Mcp-Method`, and `Mcp-Name` for a
   * tool call, agreeing with the body) and nothing else is in `params`; anything unusual is the SDK's.
   */
  const modern = (message: Message, id: unknown, header: (name: string) => string | undefined): MaybePromise<FastAnswer | undefined> => {
    const params = message.params;
    if (params === undefined || typeof params !== 'object' || params === null || header('mcp-method') !== message.method) return undefined;
    if (!wellFormedEnvelope(params._meta, modernVersion)) return undefined;
    const keys = Object.keys(params);
    switch (message.method) {
      case 'server/discover':
        return keys.length === 1 ? reply(id, discover) : undefined;
      case 'tools/list':
        return keys.length === 1 ? reply(id, modernToolsList) : undefined;
      case 'tools/call': {
        if (header('mcp-name') !== params.name || keys.some((key) => !TOOL_CALL_KEYS.has(key))) return undefined;
        return callTool(params, (result) => reply(id, `${result.slice(0, -1)},${modernTail}`));
      }
      default:
        return undefined;
    }
  };

  return (body, header) => {
    if (body === null || typeof body !== 'object') return undefined;
    const message = body as Message;
    if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
    if (!acceptsJsonAndSse(header('accept'))) return undefined;
    const version = header('mcp-protocol-version');
    if (version === modernVersion) {
      return 'id' in message && validId(message.id) ? modern(message, message.id, header) : undefined;
    }
    if (version !== undefined && !options.legacyVersions.includes(version)) return undefined;
    const params = message.params;
    if (params !== undefined && (typeof params !== 'object' || params === null || !plainLegacyMeta(params._meta))) return undefined;
    // `params: {}` (or holding only a progress token) asks for what no params asks for.
    const bare = params === undefined || Object.keys(params).every((key) => key === '_meta');

    if (!('id' in message)) {
      return message.method.startsWith('notifications/') ? ACCEPTED : undefined;
    }
    const id = message.id;
    if (!validId(id)) return undefined;

    switch (message.method) {
      case 'ping':
        return bare ? reply(id, '{}') : undefined;
      case 'tools/list':
        return bare ? reply(id, toolsList) : undefined;
      case 'initialize': {
        const wellFormed =
          typeof params?.protocolVersion === 'string' &&
          typeof params.capabilities === 'object' &&
          params.capabilities !== null &&
          typeof params.clientInfo?.name === 'string' &&
          typeof params.clientInfo.version === 'string';
        if (!wellFormed) return undefined;
        const protocolVersion = options.legacyVersions.includes(params!.protocolVersion as string)
          ? params!.protocolVersion
          : options.legacyVersions[0];
        return reply(id, JSON.stringify({ protocolVersion, capabilities, serverInfo: options.identity }));
      }
      case 'tools/call': {
        if (params === undefined || Object.keys(params).some((key) => !TOOL_CALL_KEYS.has(key))) return undefined;
        return callTool(params, (result) => reply(id, result));
      }
      default:
        return undefined;
    }
  };
}

/** The keys a tool call's params may have for the fast path to take it. */
const TOOL_CALL_KEYS = new Set(['name', 'arguments', '_meta']);

/** A JSON-RPC id the fast path echoes: a string or an integer. */
function validId(id: unknown): boolean {
  return typeof id === 'string' || (typeof id === 'number' && Number.isInteger(id));
}

/** A 2025-era `_meta` the fast path can ignore: absent, or holding only a progress token (no progress is sent). */
function plainLegacyMeta(meta: unknown): boolean {
  if (meta === undefined) return true;
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return false;
  const keys = Object.keys(meta);
  // A progress token is a string or an integer, as an id is.
  return keys.length === 1 && keys[0] === 'progressToken' && validId((meta as { progressToken?: unknown }).progressToken);
}

/** A stateless-revision `_meta` exactly as current clients send it: version, client info, capabilities. */
function wellFormedEnvelope(meta: unknown, version: string): boolean {
  if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) return false;
  const envelope = meta as Record<string, unknown>;
  const clientInfo = envelope['io.modelcontextprotocol/clientInfo'] as { name?: unknown; version?: unknown } | undefined;
  const capabilities = envelope['io.modelcontextprotocol/clientCapabilities'];
  return (
    Object.keys(envelope).length === 3 &&
    envelope['io.modelcontextprotocol/protocolVersion'] === version &&
    typeof clientInfo === 'object' &&
    clientInfo !== null &&
    typeof clientInfo.name === 'string' &&
    typeof clientInfo.version === 'string' &&
    typeof capabilities === 'object' &&
    capabilities !== null &&
    !Array.isArray(capabilities)
  );
}

/** Whether an Accept header allows both JSON and SSE, as Streamable HTTP requires of clients. */
function acceptsJsonAndSse(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/json') && accept.includes('text/event-stream');
}
