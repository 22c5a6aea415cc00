// Who may call which tool, through the real Node entry and real clients: two named tokens against
// three servers (the built-in tools, a Python SDK server, and a server that writes every message it
// receives to stderr, so a test sees what reached it).
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Client as PinnedClient } from 'mcp-sdk-2025-03-26/client/index.js';
import { StreamableHTTPClientTransport as PinnedTransport } from 'mcp-sdk-2025-03-26/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FORBIDDEN } from '../../../app/auth/access-policy.js';
import { connectClient, MCP_HEADERS, postMcp, startTestServer, type TestServer } from '../../support/node-server.js';
import { testPython } from '../../support/python-env.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../../support/servers-file.js';

const PYTHON_CLIENT = fileURLToPath(new URL('../../clients/python_access_client.py', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKENS = { 'team-a': 'token-of-team-a-7Qx', 'team-b': 'token-of-team-b-Lm2' } as const;
const bearer = (team: keyof typeof TOKENS) => ({ authorization: `Bearer ${TOKENS[team]}` });

/** team-a: the odd server whole and one built-in tool; team-b: the notes server whole and one tool of odd. */
const ACCESS = {
  default: 'deny',
  grants: [
    { server: 'odd', tokens: ['team-a'] },
    { server: 'tools', tools: ['health_check'], tokens: ['team-a'] },
    { server: 'notes', tokens: ['team-b'] },
    { server: 'odd', tools: ['echo'], tokens: ['team-b'] },
  ],
};
const ODD_TOOLS = ['crash', 'echo', 'flood', 'garbage', 'grow', 'hang', 'not_a_result', 'only_garbage', 'slow', 'twice', 'wrong_id'];
const SEES = {
  'team-a': [...ODD_TOOLS.map((tool) => `odd_${tool}`), 'tools_health_check'].sort(),
  'team-b': ['notes_add_note', 'notes_list_notes', 'odd_echo'],
};

/** The Python SDK's Client as one caller: its lists and each call's answer or the error it raised. */
function pythonClient(url: string, mode: 'auto' | 'legacy', token: string, calls: Array<[string, Record<string, unknown>]>): Promise<{ protocolVersion: string; tools: string[]; results: Array<{ name: string; isError?: boolean; raised?: string; message?: string }> }> {
  return new Promise((resolve, reject) => {
    execFile(testPython(), [PYTHON_CLIENT, url, mode, token, JSON.stringify(calls)], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`python client (${mode}) failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

const call = (id: number, name: string, args: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

let servers: ServersFile;
let bridge: TestServer;
beforeAll(async () => {
  servers = writeServersFile({ tools: { builtin: {} }, notes: STDIO_SERVERS.python(), odd: STDIO_SERVERS.misbehaving() });
  bridge = await startTestServer({
    MCP_SERVERS_FILE: servers.file,
    MCP_AUTH_MODE: 'token',
    MCP_TOKEN_SHA256: Object.entries(TOKENS).map(([name, token]) => `${name}:${sha256(token)}`).join(','),
    MCP_ACCESS: JSON.stringify(ACCESS),
  });
}, 60_000);
afterAll(async () => {
  await bridge.close();
  servers.remove();
});

/** What reached the odd server: the messages it wrote to stderr as `received <json>`. */
const receivedByOdd = () => bridge.logs.map((line) => JSON.parse(line)).filter((entry) => entry.server === 'odd' && entry.stream === 'stderr' && String(entry.message).startsWith('received ')).map((entry) => JSON.parse(String(entry.message).slice('received '.length)));

describe('two tokens against three servers: each sees and calls exactly its grants', () => {
  it.each(['auto', 'legacy'] as const)('through the Python SDK Client (%s mode)', async (mode) => {
    const a = await pythonClient(bridge.mcpUrl.href, mode, TOKENS['team-a'], [['tools_health_check', {}], ['odd_echo', { n: 1 }], ['notes_list_notes', {}], ['tools_process_data', { operation: 'analyze', data: {} }]]);
    expect(a.protocolVersion).toBe(mode === 'auto' ? '2026-07-28' : '2025-11-25');
    expect(a.tools).toEqual(SEES['team-a']);
    expect(a.results.map((result) => result.isError ?? result.raised)).toEqual([false, false, 'MCPError', 'MCPError']);
    expect(a.results[2]!.message).toBe('Forbidden: The tool "notes_list_notes" of server "notes" is not granted to token "team-a": it is granted to other tokens');
    expect(a.results[3]!.message).toBe('Forbidden: The tool "tools_process_data" of server "tools" is not granted to token "team-a": no grant allows it');

    const b = await pythonClient(bridge.mcpUrl.href, mode, TOKENS['team-b'], [['notes_add_note', { text: mode }], ['odd_echo', {}], ['odd_slow', { n: 1 }], ['tools_health_check', {}]]);
    expect(b.tools).toEqual(SEES['team-b']);
    expect(b.results.map((result) => result.isError ?? result.raised)).toEqual([false, false, 'MCPError', 'MCPError']);
  }, 120_000);

  it.each(['legacy', 'modern'] as const)('through the TypeScript SDK (%s), at /mcp and at each server\'s own path', async (era) => {
    for (const team of ['team-a', 'team-b'] as const) {
      const client = await connectClient(bridge.mcpUrl, era, 'ts-client', bearer(team));
      try {
        expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(SEES[team]);
        const refused = team === 'team-a' ? 'notes_add_note' : 'tools_process_data';
        await expect(client.callTool({ name: refused, arguments: { text: 'x' } })).rejects.toThrow(/Insufficient scope/);
      } finally {
        await client.close();
      }
    }
    const own = await connectClient(new URL('/servers/notes/mcp', bridge.url), era, 'ts-client', bearer('team-a'));
    try {
      expect((await own.listTools()).tools).toEqual([]);
    } finally {
      await own.close();
    }
  });

  it('through the TypeScript SDK pinned to 2025-03-26', async () => {
    const client = new PinnedClient({ name: 'pinned-2025-03-26', version: '1.0.0' });
    await client.connect(new PinnedTransport(bridge.mcpUrl, { requestInit: { headers: bearer('team-b') } }));
    try {
      expect((await client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(SEES['team-b']);
      expect((await client.callTool({ name: 'odd_echo', arguments: { n: 2 } })).isError).toBeFalsy();
      await expect(client.callTool({ name: 'odd_hang', arguments: {} })).rejects.toThrow(/403/);
    } finally {
      await client.close();
    }
  });

  it('shows resources and prompts only with the whole server: team-b sees the notes server\'s, team-a none', async () => {
    const b = await connectClient(bridge.mcpUrl, 'legacy', 'ts-client', bearer('team-b'));
    const a = await connectClient(bridge.mcpUrl, 'legacy', 'ts-client', bearer('team-a'));
    try {
      expect((await b.listResources()).resources.map((resource) => resource.uri)).toEqual(['notes+notes://all']);
      expect((await b.listPrompts()).prompts.map((prompt) => prompt.name)).toEqual(['notes_summarize']);
      expect(a.getServerCapabilities()?.resources).toBeUndefined();
      expect(a.getServerCapabilities()?.prompts).toBeUndefined();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
    const read = await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'resources/read', params: { uri: 'notes+notes://all' } }), bearer('team-a'));
    expect(read.status).toBe(403);
    expect(read.json.error.message).toContain('The resource "notes+notes://all" of server "notes" is not granted to token "team-a"');
    const prompt = await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'prompts/get', params: { name: 'notes_summarize', arguments: { topic: 't' } } }), bearer('team-a'));
    expect(prompt.status).toBe(403);
  });
});

describe('a refusal', () => {
  it('is 403 with the insufficient_scope challenge and a JSON-RPC error for the request, in every revision', async () => {
    const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'raw', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
    const requests: Array<[string, Record<string, string>]> = [
      [call(9, 'tools_process_data'), { 'mcp-protocol-version': '2025-11-25' }],
      [call(9, 'tools_process_data'), { 'mcp-protocol-version': '2025-06-18' }],
      [call(9, 'tools_process_data'), { 'mcp-protocol-version': '2025-03-26' }],
      [JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'tools_process_data', arguments: {}, _meta: envelope } }), { 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'tools_process_data' }],
    ];
    for (const [body, headers] of requests) {
      const res = await postMcp(bridge.mcpUrl, body, { ...bearer('team-a'), ...headers });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toBe('Bearer error="insufficient_scope", error_description="The tool \\"tools_process_data\\" of server \\"tools\\" is not granted to token \\"team-a\\": no grant allows it"');
      expect(res.json).toEqual({ jsonrpc: '2.0', id: 9, error: { code: FORBIDDEN, message: 'Forbidden: The tool "tools_process_data" of server "tools" is not granted to token "team-a": no grant allows it', data: { error: 'insufficient_scope', server: 'tools' } } });
    }
  });

  it('never reaches the server: the child sees the allowed call and nothing of the refused ones', async () => {
    const before = receivedByOdd().length;
    expect((await postMcp(bridge.mcpUrl, call(21, 'odd_slow', { n: 1 }), bearer('team-b'))).status).toBe(403);
    // A 2025-03-26 batch holding a refused call is refused whole: nothing in it runs.
    const batch = JSON.stringify([JSON.parse(call(22, 'odd_echo', { n: 22 })), JSON.parse(call(23, 'odd_hang'))]);
    const { 'mcp-protocol-version': _none, ...batchHeaders } = MCP_HEADERS;
    expect((await fetch(bridge.mcpUrl, { method: 'POST', headers: { ...batchHeaders, ...bearer('team-b') }, body: batch })).status).toBe(403);
    const allowed = await postMcp(bridge.mcpUrl, call(24, 'odd_echo', { n: 24 }), bearer('team-b'));
    expect(allowed.json.result.content[0].text).toBe('{"n":24}');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const reached = receivedByOdd().slice(before).filter((message) => message.method === 'tools/call');
    expect(reached.map((message) => [message.params.name, message.params.arguments])).toEqual([['echo', { n: 24 }]]);
  });

  it('is not "unknown tool": a tool nobody has is still answered as the SDK answers it', async () => {
    const res = await postMcp(bridge.mcpUrl, call(30, 'odd_no_such_tool'), bearer('team-a'));
    expect(res.status).toBe(200);
    expect(res.json.error).toMatchObject({ code: -32602, message: expect.stringContaining('odd_no_such_tool') });
  });
});

describe('rules naming what is not served', () => {
  it.each([
    [{ default: 'deny', grants: [{ server: 'notebook', tokens: ['team-a'] }] }, 'MCP_ACCESS.grants.0.server: no server "notebook" (the servers: tools, notes)'],
    [{ default: 'deny', grants: [{ server: 'notes', tools: ['add_note', 'wirte'], tokens: ['team-a'] }] }, 'MCP_ACCESS.grants.0.tools.1: server "notes" has no tool "wirte" (its tools: add_note, list_notes)'],
  ])('fail the start, naming the grant', async (access, message) => {
    const file = writeServersFile({ tools: { builtin: {} }, notes: STDIO_SERVERS.python() });
    try {
      await expect(startTestServer({ MCP_SERVERS_FILE: file.file, MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: `team-a:${sha256('x')}`, MCP_ACCESS: JSON.stringify(access) })).rejects.toThrow(message);
    } finally {
      file.remove();
    }
  }, 60_000);

  it.each([
    ['not JSON', '{', 'MCP_ACCESS: not valid JSON'],
    ['no default', '{"grants": []}', 'MCP_ACCESS.default: one of "allow" or "deny"'],
    ['scopes in token mode', '{"default": "deny", "grants": [{"server": "builtin", "scopes": ["a"]}]}', 'MCP_ACCESS.grants.0: auth mode token knows callers by tokens: name "tokens", not "scopes"'],
    ['a bad token name', '{"default": "deny", "grants": [{"server": "builtin", "tokens": ["Team A"]}]}', 'MCP_ACCESS.grants.0'],
    ['an unknown field', '{"default": "deny", "grant": []}', 'MCP_ACCESS: unknown field "grant"'],
  ])('refuse %s, naming the field', async (_case, value, message) => {
    await expect(startTestServer({ MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: `team-a:${sha256('x')}`, MCP_ACCESS: value })).rejects.toThrow(message);
  });

  it('refuses rules without authentication', async () => {
    await expect(startTestServer({ MCP_ACCESS: '{"default": "deny"}' })).rejects.toThrow('MCP_ACCESS: access rules need to know the caller: use auth mode "token" or "oauth"');
  });

  it('names the built-in tools "builtin" when no server list is configured', async () => {
    const alone = await startTestServer({ MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: `team-a:${sha256('only')}`, MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'builtin', tools: ['health_check'], tokens: ['team-a'] }] }) });
    try {
      const list = await postMcp(alone.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), { authorization: 'Bearer only' });
      expect(list.json.result.tools.map((tool: { name: string }) => tool.name)).toEqual(['health_check']);
      expect((await postMcp(alone.mcpUrl, call(2, 'process_data', { operation: 'analyze', data: {} }), { authorization: 'Bearer only' })).status).toBe(403);
    } finally {
      await alone.close();
    }
  });
});
