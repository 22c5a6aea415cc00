// The fast path in front of servers answers exactly as the SDK does, for every shape it takes and
// every one it leaves: two apps over the same servers, one with the fast path and one without (the
// reference). The servers here are in memory (what matters is the bridge's bytes; real children are
// in own-servers.test.ts), and one counts what reached it: a call is never sent twice.
import { describe, expect, it } from 'vitest';
import { FORBIDDEN } from '../../../app/auth/access-policy.js';
import type { AccessRules } from '../../../app/auth/access-rules.js';
import { createApp } from '../../../app/create-app.js';
import { createFastPath } from '../../../app/mcp/fast-path.js';
import { LEGACY_PROTOCOL_VERSIONS } from '../../../app/mcp/protocol.js';
import { proxiedFastPathTools } from '../../../app/mcp/proxy-fast-path.js';
import { HealthReporter } from '../../../app/runtime.js';
import { buildCatalog } from '../../../app/servers/catalog.js';
import type { ServerSet } from '../../../app/servers/server-set.js';
import { EMPTY_CATALOG, REQUEST_TIMEOUT, serverError, type UpstreamServer } from '../../../app/servers/upstream.js';
import { MCP_HEADERS } from '../../support/node-server.js';
import { auditedLines, forEachCaller, TWO_TOKENS } from '../../support/two-callers.js';

const calls: string[] = [];
/** A server held in memory: its tools answer deterministically, one of each outcome. */
function memoryServer(name: string): UpstreamServer {
  const tool = (toolName: string) => ({ name: toolName, description: `${toolName} of ${name}`, inputSchema: { type: 'object' as const, properties: { n: { type: 'number' } } } });
  const catalog = { ...EMPTY_CATALOG, tools: [tool('echo'), tool('fails'), tool('tool_error'), tool('with_meta'), tool('slow')] };
  return {
    name,
    catalog: () => catalog,
    async request(_method, params) {
      calls.push(`${name}:${String(params.name)}`);
      switch (params.name) {
        case 'echo':
          return { content: [{ type: 'text', text: JSON.stringify(params.arguments ?? null) }] };
        case 'fails':
          throw serverError(name, 'answered tools/call with an error: something broke', -32603);
        case 'tool_error':
          return { content: [{ type: 'text', text: 'bad input' }], isError: true };
        case 'with_meta':
          return { content: [], structuredContent: { a: 1 }, _meta: { 'example.com/trace': 'abc' } };
        default:
          throw serverError(name, `did not answer tools/call within 10 ms (cancelled at the server)`, REQUEST_TIMEOUT);
      }
    },
    health: () => ({ name, kind: 'stdio', state: 'ready', restarts: 0, inFlight: 0 }),
    close: async () => {},
  };
}
const upstreams = [memoryServer('alpha'), memoryServer('beta')];
const servers: ServerSet = { servers: upstreams, catalog: buildCatalog(upstreams), health: () => upstreams.map((server) => server.health()), close: async () => {} };

class StoppedClockHealth extends HealthReporter {
  override report() {
    return super.report(0);
  }
}
const make = (fastPath: boolean) =>
  createApp({
    health: new StoppedClockHealth({ version: 'same', platform: 'local', region: 'local', startedAtMs: 0 }),
    allowedHostnames: ['localhost'],
    rateLimit: { requestsPerMinute: 1e9, burst: 1e9 },
    fastPath,
    servers,
    log: () => undefined,
  });
const fast = make(true);
const sdk = make(false);

const rpc = (id: unknown, method: string, params?: unknown) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const envelope = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'mcp', version: '0.1.0' }, 'io.modelcontextprotocol/clientCapabilities': {} };

/** Every request shape of every revision: methods, each tool outcome, unknown tools, odd arguments, both paths. */
function shapes(): Array<[string, { path: string; body: string; headers: Record<string, string> }]> {
  const list: Array<[string, { path: string; body: string; headers: Record<string, string> }]> = [];
  const toolCalls: Record<string, Record<string, unknown>> = {
    echo: { name: 'alpha_echo', arguments: { n: 1 } },
    'echo, no arguments': { name: 'beta_echo' },
    'server error': { name: 'alpha_fails', arguments: {} },
    'tool error': { name: 'beta_tool_error', arguments: {} },
    'result with _meta': { name: 'alpha_with_meta', arguments: {} },
    timeout: { name: 'alpha_slow', arguments: {} },
    'unknown tool': { name: 'alpha_nope', arguments: {} },
    'unknown server': { name: 'gamma_echo', arguments: {} },
    'arguments not an object': { name: 'alpha_echo', arguments: [1] },
    'caller _meta forwarded': { name: 'alpha_echo', arguments: {}, _meta: { progressToken: 'p' } },
  };
  for (const id of [7, 'req-7']) {
    for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      const headers = { 'mcp-protocol-version': version };
      list.push([`${version} tools/list, id ${typeof id}`, { path: '/mcp', body: rpc(id, 'tools/list'), headers }]);
      list.push([`${version} tools/list at /servers/beta/mcp, id ${typeof id}`, { path: '/servers/beta/mcp', body: rpc(id, 'tools/list'), headers }]);
      list.push([`${version} ping, id ${typeof id}`, { path: '/mcp', body: rpc(id, 'ping'), headers }]);
      list.push([`${version} initialize, id ${typeof id}`, { path: '/mcp', body: rpc(id, 'initialize', { protocolVersion: version, capabilities: {}, clientInfo: { name: 'c', version: '1' } }), headers }]);
      for (const [name, params] of Object.entries(toolCalls)) list.push([`${version} tools/call ${name}, id ${typeof id}`, { path: '/mcp', body: rpc(id, 'tools/call', params), headers }]);
      list.push([`${version} tools/call echo at /servers/alpha/mcp, id ${typeof id}`, { path: '/servers/alpha/mcp', body: rpc(id, 'tools/call', { name: 'echo', arguments: { n: 2 } }), headers }]);
    }
    const modern = (method: string, params: Record<string, unknown>, name?: string) => ({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) });
    for (const method of ['server/discover', 'tools/list']) list.push([`2026-07-28 ${method}, id ${typeof id}`, { path: '/mcp', body: rpc(id, method, { _meta: envelope }), headers: modern(method, {}) }]);
    for (const [name, params] of Object.entries(toolCalls)) {
      const withEnvelope = { ...params, _meta: { ...envelope, ...(params._meta as object | undefined) } };
      list.push([`2026-07-28 tools/call ${name}, id ${typeof id}`, { path: '/mcp', body: rpc(id, 'tools/call', withEnvelope), headers: modern('tools/call', {}, String(params.name)) }]);
    }
  }
  return list;
}

async function answer(app: typeof fast, { path, body, headers }: { path: string; body: string; headers: Record<string, string> }) {
  const before = calls.length;
  const res = await app.request(path, { method: 'POST', headers: { ...MCP_HEADERS, host: 'localhost', ...headers }, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text), reached: calls.slice(before) };
}

describe('the fast path in front of servers answers every shape as the SDK does', () => {
  const all = shapes();
  it.each(all)('%s', async (_name, request) => {
    const viaFast = await answer(fast, request);
    const viaSdk = await answer(sdk, request);
    expect(viaFast).toEqual(viaSdk);
    // A call reached its server once on each path, or not at all.
    expect(viaFast.reached.length).toBeLessThanOrEqual(1);
  });
});

describe('which requests the fast path in front of servers takes (so the comparison above is not with itself)', () => {
  const fastPath = createFastPath({ identity: { name: 'n', version: 'v' }, tools: proxiedFastPathTools(servers.catalog.all), legacyVersions: LEGACY_PROTOCOL_VERSIONS });
  const taken = async (name: string) => {
    const [, request] = shapes().find(([shape]) => shape === name)!;
    const headers = new Headers({ ...MCP_HEADERS, ...request.headers });
    return (await fastPath(JSON.parse(request.body), (header) => headers.get(header) ?? undefined, () => new AbortController().signal)) !== undefined;
  };
  it.each([
    ['2025-11-25 tools/list, id number', true],
    ['2025-11-25 tools/call echo, id number', true],
    ['2025-11-25 tools/call server error, id number', true],
    ['2026-07-28 tools/call result with _meta, id number', true],
    ['2026-07-28 server/discover, id number', true],
    ['2025-11-25 tools/call unknown tool, id number', false],
    ['2025-11-25 tools/call arguments not an object, id number', false],
  ])('%s: %s', async (name, expected) => {
    expect(await taken(name)).toBe(expected);
  });
});

describe('with access rules, the fast path answers every shape as the SDK does, for an allowed and a refused caller', () => {
  // alpha: all of it to team-a; beta: echo to team-b only. Everything else is denied.
  const access: AccessRules = { default: 'deny', grants: [{ server: 'alpha', tokens: ['team-a'] }, { server: 'beta', tools: ['echo'], tokens: ['team-b'] }] };
  const guarded = (fastPath: boolean) => {
    const lines: string[] = [];
    const app = createApp({
      health: new StoppedClockHealth({ version: 'same', platform: 'local', region: 'local', startedAtMs: 0 }),
      allowedHostnames: ['localhost'],
      rateLimit: { requestsPerMinute: 1e9, burst: 1e9 },
      fastPath,
      servers,
      auth: TWO_TOKENS,
      access,
      log: (line) => lines.push(line),
    });
    return { app, lines };
  };
  const fastGuarded = guarded(true);
  const sdkGuarded = guarded(false);
  const cases = forEachCaller(shapes());

  it.each(cases)('%s', async (_name, request) => {
    const [fastFrom, sdkFrom] = [fastGuarded.lines.length, sdkGuarded.lines.length];
    const viaFast = await answer(fastGuarded.app, request);
    const viaSdk = await answer(sdkGuarded.app, request);
    expect(viaFast).toEqual(viaSdk);
    expect(auditedLines(fastGuarded.lines, fastFrom)).toEqual(auditedLines(sdkGuarded.lines, sdkFrom));
    if (viaFast.status === 403) expect(viaFast.reached).toEqual([]);
  });

  it('refuses what the caller may not use (so the comparison above covers refusals), and lists only its grants', async () => {
    const [, call] = shapes().find(([name]) => name === '2025-11-25 tools/call echo, id number')!;
    const refused = await answer(fastGuarded.app, { ...call, headers: { ...call.headers, authorization: 'Bearer token-b' } });
    expect(refused).toMatchObject({ status: 403, reached: [], body: { id: 7, error: { code: FORBIDDEN, message: expect.stringContaining('The tool "alpha_echo" of server "alpha" is not granted to token "team-b"') } } });
    const [, list] = shapes().find(([name]) => name === '2025-11-25 tools/list, id number')!;
    const listed = async (token: string) => (await answer(fastGuarded.app, { ...list, headers: { ...list.headers, authorization: `Bearer ${token}` } })).body.result.tools.map((tool: { name: string }) => tool.name);
    expect(await listed('token-a')).toEqual(['alpha_echo', 'alpha_fails', 'alpha_tool_error', 'alpha_with_meta', 'alpha_slow']);
    expect(await listed('token-b')).toEqual(['beta_echo']);
  });
});
