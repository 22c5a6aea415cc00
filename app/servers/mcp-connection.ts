import { CLIENT_CAPABILITIES_META_KEY, CLIENT_INFO_META_KEY, Client, PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/client';
import type { Result } from '@modelcontextprotocol/server';
import type { Transport } from '@modelcontextprotocol/client';
import type { ServerIdentity } from '../mcp/server.js';
import { FORWARDED_RESULT_SCHEMAS } from './forwarded-results.js';
import { openRequestLane, type LaneRequestOptions, type RequestLane } from './request-lane.js';
import type { ForwardedMethod, ServerCatalog } from './upstream.js';

/** How to reach one server: a new transport per connection (a stdio child, an HTTP endpoint). */
export interface TransportPlan {
  /** The server's kind. */
  readonly kind: 'stdio' | 'http';
  /** What the bridge runs or reaches, for messages: the command line, or the URL. */
  readonly target: string;
  /** A fresh transport, and what its server last said on the way out (a stdio child's last stderr lines). */
  readonly open: () => { readonly transport: Transport; readonly lastWords: () => readonly string[] };
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /** Who the bridge says it is to the server. */
  readonly identity: ServerIdentity;
  /** How long connecting and the first lists may take, in milliseconds. */
  readonly timeoutMs: number;
  /** Called with the fresh catalog each time the server says a list changed and it is read again. */
  readonly onCatalog: (catalog: ServerCatalog) => void;
  /** Called once when the connection ends for any reason but {@link McpConnection.close}. */
  readonly onLost: (why: string) => void;
  /** Receives what goes wrong on the connection that no request owns (a line that is not JSON-RPC, an answer to an unknown id). */
  readonly onProblem: (message: string) => void;
}

/** One live connection to a server, initialized once, over which every request to it is multiplexed. */
export interface McpConnection {
  /** What the server listed when it connected. */
  readonly catalog: ServerCatalog;
  /**
   * Forwards one request under the server's own names; rejects as the SDK client's `request()` does
   * (the server's `ProtocolError`, or an `SdkError`: timed out, connection closed, invalid result).
   */
  readonly forward: (method: ForwardedMethod, params: Record<string, unknown>, options: LaneRequestOptions) => Promise<Result>;
  /** What the server last said on the way out. */
  readonly lastWords: () => readonly string[];
  /** Ends the connection (a stdio child is stopped) without calling `onLost`. */
  readonly close: () => Promise<void>;
}

/**
 * Connects to a server once: the SDK client negotiates the newest revision the server accepts
 * (`server/discover` first, the 2025 `initialize` otherwise: on stdio the probe runs on a short-lived
 * sibling process, so a server that exits on an unknown request is simply a 2025 server), then reads
 * every list it has. A `list_changed` notification reads that list again.
 */
export async function connect(plan: TransportPlan, options: ConnectOptions): Promise<McpConnection> {
  const { transport, lastWords } = plan.open();
  const client = new Client(
    { name: options.identity.name, version: options.identity.version },
    { versionNegotiation: { mode: 'auto', probe: { timeoutMs: Math.min(options.timeoutMs, 3_000) } } },
  );
  let closing = false;
  let connected = false;
  client.onerror = (error) => {
    if (connected) options.onProblem(error.message);
  };
  let lane: RequestLane | undefined;
  client.onclose = () => {
    lane?.closeAll();
    if (connected && !closing) options.onLost(lastWords().at(-1) ?? 'the connection closed');
  };
  try {
    await client.connect(transport, { timeout: options.timeoutMs });
  } catch (error) {
    closing = true;
    await client.close().catch(() => {});
    const said = lastWords();
    throw new Error(`${(error as Error).message}${said.length === 0 ? '' : ` (its last stderr: ${said.slice(-3).join(' | ')})`}`);
  }
  const readCatalog = () => readLists(client, options.timeoutMs);
  let catalog: ServerCatalog;
  try {
    catalog = await readCatalog();
  } catch (error) {
    closing = true;
    await client.close().catch(() => {});
    throw error;
  }
  connected = true;
  if (plan.kind === 'stdio') lane = openRequestLane(client.transport!, { envelope: envelope(client, options.identity), onProblem: options.onProblem });
  const reread = () => {
    readCatalog().then(options.onCatalog, (error: Error) => options.onProblem(`reading its lists again after list_changed failed: ${error.message}`));
  };
  client.setNotificationHandler('notifications/tools/list_changed', reread);
  client.setNotificationHandler('notifications/resources/list_changed', reread);
  client.setNotificationHandler('notifications/prompts/list_changed', reread);
  return {
    catalog,
    forward:
      lane === undefined
        ? (method, params, { signal, timeoutMs }) => client.request({ method, params }, FORWARDED_RESULT_SCHEMAS[method], { signal, timeout: timeoutMs })
        : lane.send,
    lastWords,
    close: async () => {
      closing = true;
      await client.close();
    },
  };
}

/**
 * The `_meta` each request carries on a connection negotiated at 2026-07-28, as the SDK client words
 * it (the bridge announces no client capabilities), or `undefined` on a 2025 connection.
 */
function envelope(client: Client, identity: ServerIdentity): Record<string, unknown> | undefined {
  const version = client.getNegotiatedProtocolVersion();
  if (version === undefined || client.getProtocolEra() !== 'modern') return undefined;
  return { [PROTOCOL_VERSION_META_KEY]: version, [CLIENT_INFO_META_KEY]: { name: identity.name, version: identity.version }, [CLIENT_CAPABILITIES_META_KEY]: {} };
}

/** Every list the server's capabilities say it has, every page of each. */
async function readLists(client: Client, timeout: number): Promise<ServerCatalog> {
  const capabilities = client.getServerCapabilities() ?? {};
  const options = { timeout, cacheMode: 'bypass' } as const;
  const [tools, resources, resourceTemplates, prompts] = await Promise.all([
    capabilities.tools === undefined ? undefined : client.listTools(undefined, options),
    capabilities.resources === undefined ? undefined : client.listResources(undefined, options),
    capabilities.resources === undefined ? undefined : client.listResourceTemplates(undefined, options),
    capabilities.prompts === undefined ? undefined : client.listPrompts(undefined, options),
  ]);
  return {
    tools: tools?.tools ?? [],
    resources: resources?.resources ?? [],
    resourceTemplates: resourceTemplates?.resourceTemplates ?? [],
    prompts: prompts?.prompts ?? [],
  };
}
