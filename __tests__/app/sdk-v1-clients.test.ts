// The official TypeScript SDK v1 (the v2 client is in mcp-client.test.ts): its current release,
// and clients pinned to 2025-03-26 (an older release whose latest revision was 2025-03-26), through
// initialize, tools/list and every tool; and the batches 2025-03-26 allowed (it sends no
// MCP-Protocol-Version header).
import { Client as CurrentV1Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as CurrentV1Transport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Client } from 'mcp-sdk-2025-03-26/client/index.js';
import { StreamableHTTPClientTransport } from 'mcp-sdk-2025-03-26/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/node-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each([
  ['the current v1 release', () => ({ client: new CurrentV1Client({ name: 'sdk-v1', version: '1.0.0' }), transport: new CurrentV1Transport(server.mcpUrl) })],
  ['a release pinned to 2025-03-26', () => ({ client: new Client({ name: 'pinned-2025-03-26', version: '1.0.0' }), transport: new StreamableHTTPClientTransport(server.mcpUrl) })],
] as const)('the official TypeScript SDK v1, %s', (_name, make) => {
  it('initializes, lists the tools and calls every tool and operation', async () => {
    const { client, transport } = make();
    await client.connect(transport as never);
    try {
      expect(client.getServerVersion()).toMatchObject({ name: 'mcp-multicloud-bridge' });
      const { tools } = await client.listTools();
      expect(tools.map((tool) => tool.name).sort()).toEqual(['health_check', 'process_data']);
      const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: any };
      expect((await call('process_data', { operation: 'transform', data: { a_b: ' x ' } })).structuredContent).toEqual({ operation: 'transform', result: { aB: 'x' } });
      expect((await call('process_data', { operation: 'validate', data: { a: 1 }, schema: { type: 'object', required: ['a'] } })).structuredContent).toMatchObject({ valid: true });
      expect((await call('process_data', { operation: 'analyze', data: [1, 3] })).structuredContent.analysis.numericFields['[]']).toMatchObject({ mean: 2 });
      expect((await call('process_data', { operation: 'nope' })).isError).toBe(true);
      expect((await call('health_check', {})).structuredContent).toMatchObject({ status: 'ok' });
    } finally {
      await client.close();
    }
  });
});

describe('a client of the 2025-03-26 revision', () => {
  it('is answered in 2025-03-26, not a newer revision', async () => {
    const initialize = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'c', version: '1' } } }),
    });
    expect((await initialize.json()).result.protocolVersion).toBe('2025-03-26');
  });

  it('gets a batch answered as a batch when it names no revision or 2025-03-26, and refused once batches were removed', async () => {
    const batch = JSON.stringify([
      { jsonrpc: '2.0', id: 1, method: 'ping' },
      { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'health_check', arguments: {} } },
    ]);
    const send = (headers: Record<string, string>) =>
      fetch(server.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers }, body: batch });
    for (const headers of [{}, { 'mcp-protocol-version': '2025-03-26' }] as Array<Record<string, string>>) {
      const response = await send(headers);
      expect(response.status).toBe(200);
      const answers = (await response.json()) as Array<{ id: number; result: any }>;
      expect(answers.map((answer) => answer.id).sort()).toEqual([1, 2]);
      expect(answers.find((answer) => answer.id === 2)!.result.structuredContent).toMatchObject({ status: 'ok' });
    }
    const refused = await send({ 'mcp-protocol-version': '2025-06-18' });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.message).toMatch(/batches are not supported \(removed in MCP 2025-06-18\)/);
  });
});
