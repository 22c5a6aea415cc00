import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';

/** One call the MCP client made through the failover name. */
export interface ClientCall {
  /** When it was made (the game day's clock, in milliseconds). */
  readonly at: number;
  /** What was called: `initialize`, `tools/list` or `tools/call process_data`. */
  readonly call: string;
  /**
   * Why it failed.
   * @default - it succeeded
   */
  readonly error?: string;
}

/** Options of {@link McpClientRounds}. */
export interface McpClientRoundsOptions {
  /** Where the bridge is: `https://<failover name>` (its `/mcp`). */
  readonly baseUrl: string;
  /**
   * A bearer token (token or OAuth auth mode).
   * @default - no Authorization header
   */
  readonly token?: string;
  /** How long one call may take, in milliseconds. */
  readonly timeoutMs: number;
  /** Milliseconds now. */
  readonly now: () => number;
}

/** A failed call in words, with the HTTP status when the SDK's error carries one (its SdkHttpError's `data.status`). */
function callError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const status = (error as { data?: { status?: unknown } } | undefined)?.data?.status;
  return typeof status === 'number' && !message.includes(String(status)) ? `${message} (HTTP ${status})` : message;
}

/** What process_data's transform must give back for {@link ROUND_ARGUMENTS}: keys to camelCase, strings trimmed. */
const ROUND_ARGUMENTS = { operation: 'transform', data: { game_day: ' ok ' } };

/**
 * The project's own MCP client (the official TypeScript SDK) calling the bridge the way a host
 * does, round after round: `tools/list`, then `process_data`. After a failed call it drops the
 * connection and connects afresh on the next round, as hosts reconnect. Every call is kept, with
 * its time and, when it failed, the error.
 */
export class McpClientRounds {
  /** Every call so far, oldest first. */
  readonly calls: ClientCall[] = [];
  #client: Client | undefined;
  #loop: { readonly stop: AbortController; readonly done: Promise<void> } | undefined;

  constructor(private readonly options: McpClientRoundsOptions) {}

  /** One round; resolves with its calls (it never rejects: a failure is a call with an error). */
  async round(): Promise<ClientCall[]> {
    const made: ClientCall[] = [];
    const call = async (name: string, work: () => Promise<void>) => {
      const at = this.options.now();
      try {
        await work();
        made.push({ at, call: name });
      } catch (error) {
        made.push({ at, call: name, error: callError(error) });
        throw error;
      }
    };
    const timeout = this.options.timeoutMs;
    try {
      if (this.#client === undefined) await call('initialize', async () => void (this.#client = await this.#connect()));
      const client = this.#client!;
      await call('tools/list', async () => {
        // Past the SDK's cache of list results: each round must reach the server.
        const { tools } = await client.listTools(undefined, { timeout, cacheMode: 'bypass' });
        if (!tools.some((tool) => tool.name === 'process_data')) throw new Error(`tools/list lacks process_data (got ${tools.map((tool) => tool.name).join(', ') || 'none'})`);
      });
      await call('tools/call process_data', async () => {
        const result = await client.callTool({ name: 'process_data', arguments: ROUND_ARGUMENTS }, { timeout });
        const gameDay = (result.structuredContent as { result?: { gameDay?: unknown } } | undefined)?.result?.gameDay;
        if (result.isError || gameDay !== 'ok') throw new Error(`process_data returned ${JSON.stringify(result.structuredContent ?? result.content)}`);
      });
    } catch {
      await this.#disconnect();
    }
    this.calls.push(...made);
    return made;
  }

  /** Starts rounds every `intervalMs` until {@link stop}. */
  start(intervalMs: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): void {
    if (this.#loop !== undefined) return;
    const stop = new AbortController();
    const done = (async () => {
      while (!stop.signal.aborted) {
        await this.round();
        await sleep(intervalMs, stop.signal).catch(() => undefined);
      }
    })();
    this.#loop = { stop, done };
  }

  /** Stops the rounds (the one under way finishes) and closes the connection. */
  async stop(): Promise<void> {
    if (this.#loop !== undefined) {
      this.#loop.stop.abort();
      await this.#loop.done;
      this.#loop = undefined;
    }
    await this.#disconnect();
  }

  async #connect(): Promise<Client> {
    const client = new Client({ name: 'mcp-bridge-gameday', version: '1.0.0' });
    const headers: Record<string, string> = this.options.token === undefined ? {} : { Authorization: `Bearer ${this.options.token}` };
    await client.connect(new StreamableHTTPClientTransport(new URL('/mcp', this.options.baseUrl), { requestInit: { headers } }), { timeout: this.options.timeoutMs });
    return client;
  }

  async #disconnect(): Promise<void> {
    const client = this.#client;
    this.#client = undefined;
    await client?.close().catch(() => undefined);
  }
}
