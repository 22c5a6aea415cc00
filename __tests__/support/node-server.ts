import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { drain, startNodeServer } from '../../app/node.js';

/** A real Node bridge on a free loopback port, with the log lines it wrote. */
export interface TestServer {
  readonly url: string;
  readonly mcpUrl: URL;
  readonly logs: string[];
  close(): Promise<void>;
}

/** Starts the real Node entry on a free port, capturing its log lines; closing it stops the servers it started. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const logs: string[] = [];
  const { server, port, servers } = await startNodeServer(
    // Tests send many requests from one address: a rate limit test sets its own limits.
    { PORT: '0', MCP_RATE_LIMIT_PER_MINUTE: '100000', MCP_RATE_LIMIT_BURST: '10000', ...env },
    (line) => logs.push(line),
  );
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    mcpUrl: new URL('/mcp', url),
    logs,
    close: async () => {
      await drain(server, 2_000);
      await servers?.close();
    },
  };
}

/** Which protocol era a test client speaks. */
export type Era = 'legacy' | 'modern';

/** Connects the official MCP SDK client over Streamable HTTP, in the given era (with `headers` on every request: a bearer token). */
export async function connectClient(mcpUrl: URL, era: Era = 'legacy', name = 'test-client', headers: Record<string, string> = {}): Promise<Client> {
  const client = new Client(
    { name, version: '1.0.0' },
    era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {},
  );
  await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { headers } }));
  return client;
}

/** Headers of a well-formed MCP POST. */
export const MCP_HEADERS = {
  'content-type': 'application/json',
  accept: 'application/json, text/event-stream',
  'mcp-protocol-version': '2025-11-25',
} as const;

/** POSTs one raw body to `/mcp` and returns status, headers and parsed body. */
export async function postMcp(
  mcpUrl: URL,
  body: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const res = await fetch(mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, ...headers }, body });
  const text = await res.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
