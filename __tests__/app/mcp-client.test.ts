import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, startTestServer, type Era, type TestServer } from '../support/node-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe.each<Era>(['legacy', 'modern'])('the official MCP client (%s era) against the real Node server', (era) => {
  let client: Client;
  beforeAll(async () => {
    client = await connectClient(server.mcpUrl, era);
  });
  afterAll(async () => {
    await client.close();
  });

  it('negotiates a served protocol revision', () => {
    expect(client.getServerVersion()).toMatchObject({ name: 'mcp-multicloud-bridge' });
    expect(client.getServerCapabilities()).toMatchObject({ tools: {} });
  });

  it('lists both tools with input and output schemas and annotations', async () => {
    const { tools } = await client.listTools();
    expect(tools.map((tool) => tool.name)).toEqual(['process_data', 'health_check']);
    for (const tool of tools) {
      expect(tool.title).toBeTruthy();
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    }
  });

  it('process_data transform returns structured content and matching text', async () => {
    const result = await client.callTool({
      name: 'process_data',
      arguments: { operation: 'transform', data: { user_name: ' ada ', gone: null } },
    });
    expect(result.isError).toBeFalsy();
    expect(result.structuredContent).toEqual({ operation: 'transform', result: { userName: 'ada' } });
    expect(JSON.parse((result.content as Array<{ text: string }>)[0]!.text)).toEqual(result.structuredContent);
  });

  it('process_data validate reports every error path', async () => {
    const result = await client.callTool({
      name: 'process_data',
      arguments: {
        operation: 'validate',
        data: { age: -1 },
        schema: { type: 'object', required: ['name'], properties: { age: { type: 'integer', minimum: 0 } } },
      },
    });
    expect(result.structuredContent).toMatchObject({
      operation: 'validate',
      valid: false,
      errors: [
        { path: '/name', keyword: 'required' },
        { path: '/age', keyword: 'minimum' },
      ],
    });
  });

  it('process_data analyze summarizes the value', async () => {
    const result = await client.callTool({
      name: 'process_data',
      arguments: { operation: 'analyze', data: { rows: [{ v: 1 }, { v: 3 }] } },
    });
    expect(result.structuredContent).toMatchObject({
      operation: 'analyze',
      analysis: { depth: 3, numericFields: { 'rows[].v': { count: 2, min: 1, max: 3, mean: 2 } } },
    });
  });

  it('health_check returns the same facts as /health', async () => {
    const result = await client.callTool({ name: 'health_check', arguments: {} });
    const health = (await (await fetch(`${server.url}/health`)).json()) as Record<string, unknown>;
    expect(result.structuredContent).toMatchObject({
      status: 'ok',
      platform: health.platform,
      region: health.region,
      version: health.version,
    });
  });

  it('a bad argument is a tool error naming the field', async () => {
    const result = await client.callTool({ name: 'process_data', arguments: { operation: 'sort', data: 1 } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/operation/);
  });

  it('validate without a schema is a tool error naming "schema"', async () => {
    const result = await client.callTool({ name: 'process_data', arguments: { operation: 'validate', data: 1 } });
    expect(result.isError).toBe(true);
    expect((result.content as Array<{ text: string }>)[0]!.text).toMatch(/"schema"/);
  });

  it('an unknown tool is an error naming the tool', async () => {
    await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow(/no_such_tool/);
  });

  it('keeps serving after errors', async () => {
    await client.callTool({ name: 'no_such_tool', arguments: {} }).catch(() => undefined);
    const { tools } = await client.listTools();
    expect(tools).toHaveLength(2);
  });
});

describe('isolation between clients (CVE-2026-25536)', () => {
  it('concurrent calls from different clients each get their own response', async () => {
    const clients = await Promise.all(
      Array.from({ length: 12 }, (_, index) => connectClient(server.mcpUrl, index % 2 ? 'modern' : 'legacy', `c${index}`)),
    );
    try {
      const rounds = await Promise.all(
        clients.flatMap((client, index) =>
          Array.from({ length: 5 }, async (_, round) => {
            const marker = `client-${index}-round-${round}`;
            const result = await client.callTool({
              name: 'process_data',
              arguments: { operation: 'transform', data: { the_marker: marker } },
            });
            return { marker, got: (result.structuredContent as { result: { theMarker: string } }).result.theMarker };
          }),
        ),
      );
      expect(rounds).toHaveLength(60);
      for (const { marker, got } of rounds) expect(got).toBe(marker);
    } finally {
      await Promise.all(clients.map((client) => client.close()));
    }
  });
});
