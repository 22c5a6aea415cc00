// The baseline users would write: the official SDK's stateless pattern in Hono, a new
// McpServer and WebStandardStreamableHTTPServerTransport per request, with the same tools.
import { McpServer, WebStandardStreamableHTTPServerTransport, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { Hono } from 'hono';
import { handle } from 'hono/aws-lambda';
import { tools } from '../../app/tools/registry.js';
import { HealthReporter } from '../../app/runtime.js';

const health = new HealthReporter({ version: 'baseline', platform: 'local', region: 'local', startedAtMs: Date.now() });

function buildServer(): McpServer {
  const server = new McpServer({ name: 'baseline', version: '1.0.0' });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema as unknown as StandardSchemaWithJSON,
        outputSchema: tool.outputSchema as unknown as StandardSchemaWithJSON,
        annotations: tool.annotations,
      },
      async (input: unknown) => {
        const value = await tool.run(input as never, { health, timeoutMs: 10_000 });
        return { content: [{ type: 'text' as const, text: JSON.stringify(value) }], structuredContent: value };
      },
    );
  }
  return server;
}

export const app = new Hono();
app.post('/mcp', async (c) => {
  const server = buildServer();
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
