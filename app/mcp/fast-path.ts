import type { CallToolResult } from '@modelcontextprotocol/server';
import type { CallAnswer } from '../audit/tool-call-audit.js';
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

/** The params of a `tools/call` the fast path takes. */
export type ToolCallParams = NonNullable<Message['params']>;

/** How a tool call's answer is written in the request's revision. */
export interface CallReply {
  /**
   * The reply for a result, given as JSON (an object's text). In the modern era the result's own
   * `_meta` (given apart, not in the JSON) is merged with the bridge's, as the SDK merges them.
   */
  readonly result: (resultJson: string, meta?: Record<string, unknown>) => FastAnswer;
  /** The reply for a JSON-RPC error, worded as the SDK words one. */
  readonly error: (error: { readonly code: number; readonly message: string; readonly data?: unknown }) => FastAnswer;
  /** The revision's era: a `modern` (2026-07-28) result gets the SDK's result fields appended to its JSON. */
  readonly era: 'legacy' | 'modern';
}

/** What an endpoint's fast path serves: the built-in tools, or the tools of servers behind the bridge. */
export interface FastPathTools {
  /**
   * The capabilities announced (`initialize`, `server/discover`), as the SDK server of the same
   * endpoint announces them: the same object until they change.
   */
  readonly capabilities: () => Record<string, unknown>;
  /** The `tools/list` result as JSON, as it is now (the same string until the list changes). */
  readonly toolsListJson: () => string;
  /**
   * A call's answer, or `undefined` to hand it to the SDK, which words what went wrong. `undefined`
   * only before anything ran: a call that reached a server is answered here, error or not.
   */
  readonly callTool: (params: ToolCallParams, reply: CallReply, signal: () => AbortSignal) => MaybePromise<FastAnswer | undefined>;
}

/** Options of {@link createFastPath}. */
export interface FastPathOptions {
  readonly identity: ServerIdentity;
  /** What it serves. */
  readonly tools: FastPathTools;
  /** The 2025-era revisions served, preferred first (`initialize` falls back to the first). */
  readonly legacyVersions: readonly string[];
  /**
   * The stateless revision served (no `initialize`; per-request `_meta`; `server/discover`).
   * @default '2026-07-28'
   */
  readonly modernVersion?: string;
}

/** A fast-path answer: 200 with a JSON-RPC body, or 202 with none. */
export interface FastAnswer {
  readonly status: 200 | 202;
  /** The JSON text of the response, or `null` for 202. */
  readonly json: string | null;
  /** For a tool call, how it ended (for the audit, which need not read `json` again). */
  readonly call?: CallAnswer;
}

/** A value, or a promise of it: the fast path answers synchronously unless a tool runs asynchronously. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Answers one request, or returns `undefined` to hand it to the SDK; a promise only when the answer
 * waits for an asynchronous tool (each promise costs a request its allocation and a turn of the
 * microtask queue). The caller turns the answer into a response. `signal` gives the request's abort
 * signal (it ends when the client goes away), made only when a call needs it.
 */
export type FastPath = (body: unknown, header: (name: string) => string | undefined, signal: () => AbortSignal) => MaybePromise<FastAnswer | undefined>;

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
  const served = options.tools;
  const modernVersion = options.modernVersion ?? '2026-07-28';
  const reply = (id: unknown, resultJson: string): FastAnswer => ({
    status: 200,
    json: `{"result":${resultJson},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`,
  });
  const errorReply = (id: unknown, error: { code: number; message: string; data?: unknown }): FastAnswer => ({
    status: 200,
    json: `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"error":${JSON.stringify({ code: error.code, message: error.message, ...(error.data === undefined ? {} : { data: error.data }) })}}`,
  });
  // The stateless revision's result fields, as the SDK words them: a complete result, cache hints
  // where the method has them, and the server's identity in `_meta`. Rendered once.
  const serverMeta = JSON.stringify({ 'io.modelcontextprotocol/serverInfo': options.identity });
  const modernTail = `"resultType":"complete","_meta":${serverMeta}}`;
  const cachedTail = `"resultType":"complete","ttlMs":0,"cacheScope":"private","_meta":${serverMeta}}`;
  let announced: Record<string, unknown> | undefined;
  let discoverJson = '';
  /** The `server/discover` result: rendered again only when the capabilities changed. */
  const discover = () => {
    const capabilities = served.capabilities();
    if (capabilities !== announced) {
      announced = capabilities;
      discoverJson = `${JSON.stringify({ supportedVersions: [modernVersion], capabilities }).slice(0, -1)},${cachedTail}`;
    }
    return discoverJson;
  };
  // The modern tools/list is the list with the cached tail: rendered again only when the list changed.
  let listed = '';
  let modernListed = '';
  const modernToolsList = () => {
    const now = served.toolsListJson();
    if (now !== listed) {
      listed = now;
      modernListed = `${now.slice(0, -1)},${cachedTail}`;
    }
    return modernListed;
  };
  const legacyReply = (id: unknown): CallReply => ({ era: 'legacy', result: (json) => reply(id, json), error: (error) => errorReply(id, error) });
  const modernReply = (id: unknown): CallReply => ({
    era: 'modern',
    result: (json, meta) =>
      reply(id, `${json.slice(0, -1)}${json === '{}' ? '' : ','}${meta === undefined ? modernTail : `"resultType":"complete","_meta":${JSON.stringify({ ...meta, 'io.modelcontextprotocol/serverInfo': options.identity })}}`}`),
    error: (error) => errorReply(id, error),
  });

  /**
   * The stateless revision: taken only when the envelope is exactly what a current client sends
   * (the `_meta` protocol version, client info and capabilities; `Mcp-Method`, and `Mcp-Name` for a
   * tool call, agreeing with the body) and nothing else is in `params`; anything unusual is the SDK's.
   */
  const modern = (message: Message, id: unknown, header: (name: string) => string | undefined, signal: () => AbortSignal): MaybePromise<FastAnswer | undefined> => {
    const params = message.params;
    if (params === undefined || typeof params !== 'object' || params === null || header('mcp-method') !== message.method) return undefined;
    if (!wellFormedEnvelope(params._meta, modernVersion)) return undefined;
    const keys = Object.keys(params);
    switch (message.method) {
      case 'server/discover':
        return keys.length === 1 ? reply(id, discover()) : undefined;
      case 'tools/list':
        return keys.length === 1 ? reply(id, modernToolsList()) : undefined;
      case 'tools/call': {
        if (header('mcp-name') !== params.name || keys.some((key) => !TOOL_CALL_KEYS.has(key))) return undefined;
        return served.callTool(params, modernReply(id), signal);
      }
      default:
        return undefined;
    }
  };

  return (body, header, signal) => {
    if (body === null || typeof body !== 'object') return undefined;
    const message = body as Message;
    if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
    if (!acceptsJsonAndSse(header('accept'))) return undefined;
    const version = header('mcp-protocol-version');
    if (version === modernVersion) {
      return 'id' in message && validId(message.id) ? modern(message, message.id, header, signal) : undefined;
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
        return bare ? reply(id, served.toolsListJson()) : undefined;
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
        return reply(id, JSON.stringify({ protocolVersion, capabilities: served.capabilities(), serverInfo: options.identity }));
      }
      case 'tools/call': {
        if (params === undefined || Object.keys(params).some((key) => !TOOL_CALL_KEYS.has(key))) return undefined;
        return served.callTool(params, legacyReply(id), signal);
      }
      default:
        return undefined;
    }
  };
}

/**
 * The built-in tools for the fast path: `tools/list` rendered once (or ahead of time), and calls
 * whose arguments pass the tool's schema run in process. A tool that throws (a bug) or a result that
 * fails its output schema is left to the SDK, which words the error result (the tools are pure, so
 * running one again is harmless).
 */
export function builtinFastPathTools(tools: readonly ToolDefinition[], context: ToolContext, toolsListJson?: string): FastPathTools {
  const toolsByName = new Map(tools.map((tool) => [tool.name, tool]));
  const listJson = toolsListJson ?? JSON.stringify(toolsListResult(tools));
  const capabilities = { tools: { listChanged: false } };
  return {
    capabilities: () => capabilities,
    toolsListJson: () => listJson,
    callTool: (params, reply) => {
      const tool = typeof params.name === 'string' ? toolsByName.get(params.name) : undefined;
      if (tool === undefined) return undefined;
      const input = tool.inputSchema.safeParse(params.arguments ?? {});
      if (!input.success) return undefined;
      const answer = (result: CallToolResult): FastAnswer | undefined =>
        result.structuredContent !== undefined && !tool.outputSchema.safeParse(result.structuredContent).success ? undefined : { ...reply.result(callToolResultJson(result)), call: { result } };
      let result: ReturnType<typeof runTool>;
      try {
        result = runTool(tool, input.data, context);
      } catch {
        return undefined;
      }
      return result instanceof Promise ? result.then(answer, () => undefined) : answer(result);
    },
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
