// The baseline users would write: the official SDK's stateless pattern in Hono, a new
// McpServer and WebStandardStreamableHTTPServerTransport per request, with the same tools
// (registered by the bridge's own buildServer, so only the serving pattern differs).
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { SERVED_PROTOCOL_VERSIONS } from '../../app/mcp/protocol.js';
import { buildServer } from '../../app/mcp/server.js';
import { HealthReporter } from '../../app/runtime.js';
import { tools } from '../../app/tools/registry.js';

const context = {
  health: new HealthReporter({ version: 'baseline', platform: 'local', region: 'local', startedAtMs: Date.now() }),
  timeoutMs: 10_000,
};

export const app = new Hono();
app.post('/mcp', async (c) => {
  const server = buildServer({ name: 'baseline', version: '1.0.0' }, tools, context, SERVED_PROTOCOL_VERSIONS);
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  await server.connect(transport);
  try {
    return await transport.handleRequest(c.req.raw);
  } finally {
    await server.close();
  }
});

/** The same app as a Lambda handler, for the cold-start comparison. */
export const handler = handle(app);
