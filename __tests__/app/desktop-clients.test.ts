// How desktop hosts and developers reach the bridge: mcp-remote (the stdio proxy Claude Desktop and
// others use for remote servers), driven by the official client over stdio, and the MCP Inspector's
// CLI; both against the real Node server, through tools/list and every tool.
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/node-server.js';

const bin = (path: string) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));

let server: TestServer;
// mcp-remote keeps client registrations and tokens in a folder of its own: a scratch one here.
const configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
});

describe('mcp-remote (stdio proxy of desktop hosts)', () => {
  it('proxies initialize, tools/list and every tool to the bridge', async () => {
    const client = new Client({ name: 'desktop-host', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [bin('mcp-remote/dist/proxy.js'), server.mcpUrl.href, '--transport', 'http-only'],
        env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir },
        stderr: 'pipe',
      }),
    );
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['health_check', 'process_data']);
      const call = async (name: string, args: Record<string, unknown>) => (await client.callTool({ name, arguments: args })) as { isError?: boolean; structuredContent?: any };
      expect((await call('process_data', { operation: 'transform', data: { a_b: ' x ' } })).structuredContent).toEqual({ operation: 'transform', result: { aB: 'x' } });
      expect((await call('process_data', { operation: 'validate', data: { a: 1 }, schema: { type: 'object', required: ['a'] } })).structuredContent).toMatchObject({ valid: true });
      expect((await call('process_data', { operation: 'analyze', data: [1, 3] })).structuredContent.analysis.numericFields['[]']).toMatchObject({ mean: 2 });
      expect((await call('health_check', {})).structuredContent).toMatchObject({ status: 'ok' });
    } finally {
      await client.close();
    }
  }, 60_000);
});

describe('the MCP Inspector CLI', () => {
  /** Runs `mcp-inspector --cli <url> --transport http …`; resolves with the JSON it printed. */
  const inspector = (args: string[]): Promise<any> =>
    new Promise((resolve, reject) => {
      execFile(process.execPath, [bin('@modelcontextprotocol/inspector/cli/build/cli.js'), '--cli', server.mcpUrl.href, '--transport', 'http', ...args], { timeout: 60_000 }, (error, stdout, stderr) =>
        error === null ? resolve(JSON.parse(stdout)) : reject(new Error(`inspector ${args.join(' ')} failed: ${stderr || error.message}`)),
      );
    });

  it('lists the tools and calls each (its --tool-arg values arrive as strings)', async () => {
    expect((await inspector(['--method', 'tools/list'])).tools.map((tool: { name: string }) => tool.name).sort()).toEqual(['health_check', 'process_data']);
    const transformed = await inspector(['--method', 'tools/call', '--tool-name', 'process_data', '--tool-arg', 'operation=transform', '--tool-arg', 'data= Ada ']);
    expect(transformed.structuredContent).toEqual({ operation: 'transform', result: 'Ada' });
    const analyzed = await inspector(['--method', 'tools/call', '--tool-name', 'process_data', '--tool-arg', 'operation=analyze', '--tool-arg', 'data=x']);
    expect(analyzed.structuredContent).toMatchObject({ operation: 'analyze', analysis: { depth: 0 } });
    expect((await inspector(['--method', 'tools/call', '--tool-name', 'health_check'])).structuredContent).toMatchObject({ status: 'ok' });
  }, 120_000);
});
