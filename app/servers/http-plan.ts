import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { TransportPlan } from './mcp-connection.js';
import { resolveConfiguredValues } from './configured-values.js';
import type { HttpServer } from './server-list.js';

/** How to reach a Streamable HTTP server: its URL, with its configured headers (secrets resolved here) on every request. */
export function httpPlan(name: string, server: HttpServer, environment: Readonly<Record<string, string | undefined>>): TransportPlan {
  const headers = resolveConfiguredValues(server.headers, environment, `servers.${name}.http.headers`);
  return {
    kind: 'http',
    target: server.url,
    open: () => ({
      transport: new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers } }),
      lastWords: () => [],
    }),
  };
}
