import { runTool } from '../tools/run-tool.js';
import type { ToolContext, ToolDefinition } from '../tools/tool.js';
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

/**
 * Answers one request, or returns `undefined` to hand it to the SDK. The caller turns the
 * answer into a response, so headers set earlier are merged once rather than copied.
 */
export type FastPath = (body: unknown, header: (name: string) => string | undefined) => Promise<FastAnswer | undefined>;

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
 * (the tool context). Every other request — errors, unknown tools or methods, invalid
 * arguments, 2026-07-28 envelopes, unusual headers — returns `undefined` and is served
 * by the official SDK, so the SDK stays the authority on every protocol rule.
 */
export function createFastPath(options: FastPathOptions): FastPath {
  const toolsByName = new Map(options.tools.map((tool) => [tool.name, tool]));
  const toolsList = options.toolsListJson ?? JSON.stringify(toolsListResult(options.tools));
  const capabilities = { tools: { listChanged: false } };
  const reply = (id: unknown, resultJson: string): FastAnswer => ({
    status: 200,
    json: `{"result":${resultJson},"jsonrpc":"2.0","id":${JSON.stringify(id)}}`,
  });

  return async (body, header) => {
    if (body === null || typeof body !== 'object') return undefined;
    const message = body as Message;
    if (message.jsonrpc !== '2.0' || typeof message.method !== 'string') return undefined;
    if (!acceptsJsonAndSse(header('accept'))) return undefined;
    const version = header('mcp-protocol-version');
    if (version !== undefined && !options.legacyVersions.includes(version)) return undefined;
    const params = message.params;
    if (params !== undefined && (typeof params !== 'object' || params === null || params._meta !== undefined)) return undefined;

    if (!('id' in message)) {
      return message.method.startsWith('notifications/') ? ACCEPTED : undefined;
    }
    const id = message.id;
    if (typeof id !== 'string' && (typeof id !== 'number' || !Number.isInteger(id))) return undefined;

    switch (message.method) {
      case 'ping':
        return params === undefined ? reply(id, '{}') : undefined;
      case 'tools/list':
        return params === undefined ? reply(id, toolsList) : undefined;
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
        const tool = typeof params?.name === 'string' ? toolsByName.get(params.name) : undefined;
        if (tool === undefined) return undefined;
        const input = tool.inputSchema.safeParse(params!.arguments ?? {});
        if (!input.success) return undefined;
        // A tool that throws (a bug) is left to the SDK, which words the error result.
        const result = await runTool(tool, input.data, options.context).catch(() => undefined);
        if (result === undefined) return undefined;
        if (result.structuredContent !== undefined && !tool.outputSchema.safeParse(result.structuredContent).success) return undefined;
        return reply(id, JSON.stringify(result));
      }
      default:
        return undefined;
    }
  };
}

/** Whether an Accept header allows both JSON and SSE, as Streamable HTTP requires of clients. */
function acceptsJsonAndSse(accept: string | undefined): boolean {
  return accept !== undefined && accept.includes('application/json') && accept.includes('text/event-stream');
}
