// Real third-party servers behind the real Node entry, driven by real clients: the built-in tools,
// @modelcontextprotocol/server-memory (npm) and a server written with the Python SDK's MCPServer,
// all at once behind /mcp (names prefixed) and each at /servers/<name>/mcp (own names); and
// @modelcontextprotocol/server-everything alone (its own names at /mcp, its resources and prompts).
import { Client as V2Client, StreamableHTTPClientTransport as V2Transport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client as PinnedClient } from 'mcp-sdk-2025-03-26/client/index.js';
import { StreamableHTTPClientTransport as PinnedTransport } from 'mcp-sdk-2025-03-26/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, postMcp, startTestServer, type TestServer } from '../../support/node-server.js';
import { testPython } from '../../support/python-env.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../../support/servers-file.js';

const PYTHON_CLIENT = fileURLToPath(new URL('../../clients/python_calls_client.py', import.meta.url));
const MCP_REMOTE = fileURLToPath(new URL('../../../node_modules/mcp-remote/dist/proxy.js', import.meta.url));

/** Runs the Python SDK's Client; resolves with what it printed, or rejects with its stderr. */
function pythonClient(url: string, mode: 'auto' | 'legacy', calls: Array<[string, Record<string, unknown>]>): Promise<{ protocolVersion: string; tools: string[]; results: Array<{ name: string; isError: boolean; text: string[]; structured: any }> }> {
  return new Promise((resolve, reject) => {
    execFile(testPython(), [PYTHON_CLIENT, url, mode, JSON.stringify(calls)], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`python client (${mode}) failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

/** The JSON a tool answered as its first text block (the Python server's dict results). */
const textJson = (result: { content?: unknown }): any => JSON.parse((result.content as Array<{ text: string }>)[0]!.text);

const PREFIXED_TOOLS = [
  'memory_add_observations', 'memory_create_entities', 'memory_create_relations', 'memory_delete_entities', 'memory_delete_observations',
  'memory_delete_relations', 'memory_open_nodes', 'memory_read_graph', 'memory_search_nodes',
  'notes_add_note', 'notes_list_notes',
  'tools_health_check', 'tools_process_data',
];

describe('three servers behind one name: builtin, an npm stdio server, a Python stdio server', () => {
  let servers: ServersFile;
  let bridge: TestServer;
  beforeAll(async () => {
    servers = writeServersFile((folder) => ({ tools: { builtin: {} }, memory: STDIO_SERVERS.memory(join(folder, 'memory.jsonl')), notes: STDIO_SERVERS.python() }));
    bridge = await startTestServer({ MCP_SERVERS_FILE: servers.file });
  }, 60_000);
  afterAll(async () => {
    await bridge.close();
    servers.remove();
  });
  const serverUrl = (name: string) => new URL(`/servers/${name}/mcp`, bridge.url);

  it('lists every tool at /mcp as <server>_<tool>, and each server under its own names at /servers/<name>/mcp', async () => {
    const all = await connectClient(bridge.mcpUrl);
    try {
      expect((await all.listTools()).tools.map((tool) => tool.name).sort()).toEqual(PREFIXED_TOOLS);
    } finally {
      await all.close();
    }
    const own = await Promise.all(['tools', 'memory', 'notes'].map(async (name) => {
      const client = await connectClient(serverUrl(name));
      try {
        return (await client.listTools()).tools.map((tool) => tool.name).sort();
      } finally {
        await client.close();
      }
    }));
    expect(own).toEqual([
      ['health_check', 'process_data'],
      ['add_observations', 'create_entities', 'create_relations', 'delete_entities', 'delete_observations', 'delete_relations', 'open_nodes', 'read_graph', 'search_nodes'],
      ['add_note', 'list_notes'],
    ]);
  });

  it('keeps the memory server\'s state between two calls (one warm child), through /mcp and /servers/memory/mcp alike', async () => {
    const client = await connectClient(bridge.mcpUrl, 'modern');
    try {
      const created = await client.callTool({ name: 'memory_create_entities', arguments: { entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] } });
      expect(created.isError).toBeFalsy();
      const read = await client.callTool({ name: 'memory_read_graph', arguments: {} });
      expect(read.structuredContent).toMatchObject({ entities: [{ name: 'Ada', entityType: 'person', observations: ['wrote the first program'] }] });
    } finally {
      await client.close();
    }
    const own = await connectClient(serverUrl('memory'));
    try {
      const found = await own.callTool({ name: 'search_nodes', arguments: { query: 'Ada' } });
      expect(found.structuredContent).toMatchObject({ entities: [{ name: 'Ada' }] });
    } finally {
      await own.close();
    }
  });

  it('serves the Python SDK Client in its default mode (2026-07-28) and its legacy mode, against all three', async () => {
    for (const [mode, version] of [['auto', '2026-07-28'], ['legacy', '2025-11-25']] as const) {
      const seen = await pythonClient(bridge.mcpUrl.href, mode, [
        ['notes_add_note', { text: `from ${mode}` }],
        ['notes_list_notes', {}],
        ['tools_process_data', { operation: 'transform', data: { user_name: ' Ada ' } }],
        ['memory_search_nodes', { query: 'nobody' }],
      ]);
      expect(seen.protocolVersion).toBe(version);
      expect(seen.tools).toEqual(PREFIXED_TOOLS);
      const [added, listed, transformed, searched] = seen.results;
      expect(added!.isError).toBe(false);
      expect(JSON.parse(listed!.text[0]!).notes).toContain(`from ${mode}`);
      expect(transformed!.structured).toMatchObject({ result: { userName: 'Ada' } });
      expect(searched!.structured).toEqual({ entities: [], relations: [] });
    }
  }, 120_000);

  it('serves the TypeScript SDK pinned to 2025-03-26', async () => {
    const client = new PinnedClient({ name: 'pinned-2025-03-26', version: '1.0.0' });
    await client.connect(new PinnedTransport(bridge.mcpUrl));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(PREFIXED_TOOLS);
      const added = await client.callTool({ name: 'notes_add_note', arguments: { text: 'from 2025-03-26' } });
      expect(added.isError).toBeFalsy();
      const listed = await client.callTool({ name: 'notes_list_notes', arguments: {} });
      expect(textJson(listed as { content?: unknown }).notes).toContain('from 2025-03-26');
    } finally {
      await client.close();
    }
  });

  it('serves mcp-remote (the stdio proxy of desktop hosts) at /servers/notes/mcp', async () => {
    const configDir = mkdtempSync(join(tmpdir(), 'mcp-remote-'));
    const client = new V2Client({ name: 'desktop-host', version: '1.0.0' });
    await client.connect(
      new StdioClientTransport({
        command: process.execPath,
        args: [MCP_REMOTE, serverUrl('notes').href, '--transport', 'http-only'],
        env: { ...(process.env as Record<string, string>), MCP_REMOTE_CONFIG_DIR: configDir },
        stderr: 'pipe',
      }),
    );
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['add_note', 'list_notes']);
      const added = await client.callTool({ name: 'add_note', arguments: { text: 'from mcp-remote' } });
      expect(textJson(added).count).toBeGreaterThan(0);
    } finally {
      await client.close();
      rmSync(configDir, { recursive: true, force: true });
    }
  }, 60_000);

  it('passes the Python server\'s resource and prompt through, namespaced like its tools', async () => {
    const client = await connectClient(bridge.mcpUrl);
    try {
      expect((await client.listResources()).resources.map((resource) => [resource.uri, resource.name])).toEqual([
        ['memory+memory://knowledge-graph', 'memory_knowledge-graph'],
        ['notes+notes://all', 'notes_all_notes'],
      ]);
      await client.callTool({ name: 'notes_add_note', arguments: { text: 'read back' } });
      const read = await client.readResource({ uri: 'notes+notes://all' });
      expect(read.contents[0]).toMatchObject({ uri: 'notes+notes://all', text: expect.stringContaining('read back') });
      expect((await client.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['notes_summarize']);
      const prompt = await client.getPrompt({ name: 'notes_summarize', arguments: { topic: 'tests' } });
      expect(JSON.stringify(prompt.messages)).toContain('Summarize the notes about tests.');
    } finally {
      await client.close();
    }
  });

  it('answers a tool no server has as the SDK does, and names the server that owns a call in the log line', async () => {
    const unknown = await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'memory_no_such_tool', arguments: {} } }));
    expect(unknown.json.error).toMatchObject({ code: -32602, message: expect.stringContaining('memory_no_such_tool') });
    await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 'memory_read_graph', arguments: {} } }));
    const line = bridge.logs.map((text) => JSON.parse(text)).find((entry) => entry.toolName === 'memory_read_graph');
    expect(line).toMatchObject({ mcpMethod: 'tools/call', server: 'memory' });
  });

  it('reports each server in /health and counts their requests in /metrics', async () => {
    const health = await (await fetch(new URL('/health', bridge.url))).json();
    expect(health.status).toBe('ok');
    expect(health.servers.map((server: { name: string; kind: string; state: string }) => [server.name, server.kind, server.state])).toEqual([
      ['tools', 'builtin', 'ready'],
      ['memory', 'stdio', 'ready'],
      ['notes', 'stdio', 'ready'],
    ]);
    const metrics = await (await fetch(new URL('/metrics', bridge.url))).text();
    expect(metrics).toMatch(/mcp_server_requests_total\{server="memory",method="tools\/call",tool="read_graph",outcome="ok"\} [1-9]/);
    expect(metrics).toContain('mcp_server_up{server="notes"} 1');
    expect(metrics).toContain('mcp_server_in_flight{server="memory"} 0');
    expect(metrics).toContain('mcp_server_restarts_total{server="memory"} 0');
  });
});

describe('@modelcontextprotocol/server-everything alone: its own names at /mcp', () => {
  let servers: ServersFile;
  let bridge: TestServer;
  beforeAll(async () => {
    servers = writeServersFile({ everything: STDIO_SERVERS.everything() });
    bridge = await startTestServer({ MCP_SERVERS_FILE: servers.file });
  }, 60_000);
  afterAll(async () => {
    await bridge.close();
    servers.remove();
  });

  it.each(['legacy', 'modern'] as const)('lists and calls its tools, reads its resources and gets its prompts (TypeScript SDK, %s)', async (era) => {
    const client = await connectClient(bridge.mcpUrl, era);
    try {
      const tools = (await client.listTools()).tools.map((tool) => tool.name);
      expect(tools).toEqual(expect.arrayContaining(['echo', 'get-sum']));
      expect(tools.every((name) => !name.startsWith('everything_'))).toBe(true);
      expect(await client.callTool({ name: 'echo', arguments: { message: 'hello' } })).toMatchObject({ content: [{ type: 'text', text: 'Echo: hello' }] });
      const sum = await client.callTool({ name: 'get-sum', arguments: { a: 2, b: 3 } });
      expect(JSON.stringify(sum.content)).toContain('5');
      const resources = (await client.listResources()).resources;
      expect(resources.length).toBeGreaterThan(0);
      const read = await client.readResource({ uri: resources[0]!.uri });
      expect(read.contents[0]!.uri).toBe(resources[0]!.uri);
      const prompts = (await client.listPrompts()).prompts.map((prompt) => prompt.name);
      expect(prompts.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  });

  it('answers many calls at once over its one stdio connection, each with its own answer', async () => {
    const client = new V2Client({ name: 'many', version: '1.0.0' });
    await client.connect(new V2Transport(bridge.mcpUrl));
    try {
      const messages = Array.from({ length: 100 }, (_, index) => `message ${index}`);
      const answers = await Promise.all(messages.map((message) => client.callTool({ name: 'echo', arguments: { message } })));
      expect(answers.map((answer) => (answer.content as Array<{ text: string }>)[0]!.text)).toEqual(messages.map((message) => `Echo: ${message}`));
    } finally {
      await client.close();
    }
  });
});
