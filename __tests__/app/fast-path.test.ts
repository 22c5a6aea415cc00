import { describe, expect, it } from 'vitest';
import type { AccessRules } from '../../app/auth/access-rules.js';
import { createApp } from '../../app/create-app.js';
import { builtinFastPathTools, createFastPath } from '../../app/mcp/fast-path.js';
import { LEGACY_PROTOCOL_VERSIONS } from '../../app/mcp/protocol.js';
import { tools } from '../../app/tools/registry.js';
import { HealthReporter } from '../../app/runtime.js';
import { MCP_HEADERS } from '../support/node-server.js';
import { auditedLines, forEachCaller, TWO_TOKENS } from '../support/two-callers.js';

/** Health facts on a clock that stands still: the two apps' uptimes never straddle a second. */
class StoppedClockHealth extends HealthReporter {
  override report() {
    return super.report(0);
  }
}

/** Two apps, identical but for the fast path; the SDK-only one is the reference. */
const make = (fastPath: boolean) =>
  createApp({
    health: new StoppedClockHealth({ version: 'same', platform: 'local', region: 'local', startedAtMs: 0 }),
    allowedHostnames: ['localhost'],
    rateLimit: { requestsPerMinute: 1e9, burst: 1e9 },
    fastPath,
    log: () => undefined,
  });
const fast = make(true);
const sdk = make(false);

const rpc = (id: unknown, method: string, params?: unknown) => JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) });
const CASES: Record<string, { body: string; headers?: Record<string, string> }> = {
  'tools/list': { body: rpc(1, 'tools/list') },
  'tools/list, string id': { body: rpc('abc', 'tools/list') },
  ping: { body: rpc(2, 'ping') },
  'initialize 2025-06-18': { body: rpc(3, 'initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'c', version: '1' } }) },
  'initialize, unknown version': { body: rpc(4, 'initialize', { protocolVersion: '2024-01-01', capabilities: {}, clientInfo: { name: 'c', version: '1' } }) },
  'initialize, no clientInfo': { body: rpc(5, 'initialize', { protocolVersion: '2025-06-18', capabilities: {} }) },
  'tools/call transform': { body: rpc(6, 'tools/call', { name: 'process_data', arguments: { operation: 'transform', data: { a_b: ' c ', d: null } } }) },
  'tools/call validate': { body: rpc(7, 'tools/call', { name: 'process_data', arguments: { operation: 'validate', data: { a: 'x' }, schema: { properties: { a: { type: 'number' } } } } }) },
  'tools/call analyze': { body: rpc(8, 'tools/call', { name: 'process_data', arguments: { operation: 'analyze', data: [1, 2, { x: 3 }] } }) },
  'tools/call, tool input error': { body: rpc(9, 'tools/call', { name: 'process_data', arguments: { operation: 'validate', data: 1 } }) },
  'tools/call, bad arguments': { body: rpc(10, 'tools/call', { name: 'process_data', arguments: { operation: 'x' } }) },
  'tools/call, unknown tool': { body: rpc(11, 'tools/call', { name: 'nope', arguments: {} }) },
  notification: { body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) },
  'unknown method': { body: rpc(12, 'nope') },
  'bad version header': { body: rpc(13, 'tools/list'), headers: { 'mcp-protocol-version': '1999-01-01' } },
  'JSON-only Accept': { body: rpc(14, 'tools/list'), headers: { accept: 'application/json' } },
  'no version header': { body: rpc(15, 'tools/list'), headers: { 'mcp-protocol-version': '' } },
};

async function answer(app: ReturnType<typeof make>, { body, headers = {} }: { body: string; headers?: Record<string, string> }) {
  const merged: Record<string, string> = { ...MCP_HEADERS, host: 'localhost', ...headers };
  for (const [key, value] of Object.entries(merged)) if (value === '') delete merged[key];
  const res = await app.request('/mcp', { method: 'POST', headers: merged, body });
  const text = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type'), body: text === '' ? undefined : JSON.parse(text) };
}

describe('the fast path answers exactly as the SDK does', () => {
  it.each(Object.keys(CASES))('%s', async (name) => {
    const [viaFast, viaSdk] = await Promise.all([answer(fast, CASES[name]!), answer(sdk, CASES[name]!)]);
    expect(viaFast).toEqual(viaSdk);
  });

  it('renders tools/list once and never shares per-request state', async () => {
    const [a, b] = await Promise.all([answer(fast, { body: rpc(100, 'tools/list') }), answer(fast, { body: rpc(200, 'tools/list') })]);
    expect(a.body.id).toBe(100);
    expect(b.body.id).toBe(200);
    expect(a.body.result).toEqual(b.body.result);
  });
});

/**
 * Every request shape of every served revision, generated: revision × method × params shape × id
 * kind × header agreement. The fast path must answer each exactly as the SDK does (or leave it to
 * the SDK), including the shapes it does not take.
 */
function generatedShapes(): Array<[string, { body: string; headers: Record<string, string> }]> {
  const envelope = (extra: Record<string, unknown> = {}) => ({
    'io.modelcontextprotocol/protocolVersion': '2026-07-28',
    'io.modelcontextprotocol/clientInfo': { name: 'mcp', version: '0.1.0' },
    'io.modelcontextprotocol/clientCapabilities': {},
    ...extra,
  });
  const calls: Record<string, Record<string, unknown>> = {
    'tools/call transform': { name: 'process_data', arguments: { operation: 'transform', data: { a_b: ' x ' } } },
    'tools/call analyze': { name: 'process_data', arguments: { operation: 'analyze', data: [1, 2] } },
    'tools/call tool error': { name: 'process_data', arguments: { operation: 'validate', data: 1 } },
    'tools/call bad arguments': { name: 'process_data', arguments: { operation: 'nope' } },
    'tools/call health_check': { name: 'health_check', arguments: {} },
    'tools/call unknown tool': { name: 'nope', arguments: {} },
  };
  const shapes: Array<[string, { body: string; headers: Record<string, string> }]> = [];
  for (const id of [7, 'req-7']) {
    for (const version of ['2025-11-25', '2025-06-18', '2025-03-26']) {
      const legacyParams: Record<string, unknown> = {
        'no params': undefined,
        'params {}': {},
        'progress token': { _meta: { progressToken: 'p1' } },
        'numeric progress token': { _meta: { progressToken: 5 } },
        'other _meta': { _meta: { trace: 'x' } },
        cursor: { cursor: 'abc' },
      };
      for (const [shape, params] of Object.entries(legacyParams)) {
        for (const method of ['ping', 'tools/list', 'server/discover']) {
          shapes.push([`${version} ${method}, ${shape}, id ${typeof id}`, { body: rpc(id, method, params), headers: { 'mcp-protocol-version': version } }]);
        }
      }
      for (const [name, call] of Object.entries(calls)) {
        shapes.push([`${version} ${name}, id ${typeof id}`, { body: rpc(id, 'tools/call', call), headers: { 'mcp-protocol-version': version } }]);
        shapes.push([`${version} ${name} with a progress token, id ${typeof id}`, { body: rpc(id, 'tools/call', { ...call, _meta: { progressToken: 'p' } }), headers: { 'mcp-protocol-version': version } }]);
      }
    }
    const modern = (method: string, params: Record<string, unknown>, headers: Record<string, string> = {}) => ({
      body: rpc(id, method, params),
      headers: { 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...headers },
    });
    for (const method of ['server/discover', 'tools/list', 'ping']) {
      shapes.push([`2026-07-28 ${method}, id ${typeof id}`, modern(method, { _meta: envelope() })]);
      shapes.push([`2026-07-28 ${method}, wrong Mcp-Method, id ${typeof id}`, modern(method, { _meta: envelope() }, { 'mcp-method': 'tools/call' })]);
      shapes.push([`2026-07-28 ${method}, no envelope, id ${typeof id}`, modern(method, {})]);
      shapes.push([`2026-07-28 ${method}, extra _meta, id ${typeof id}`, modern(method, { _meta: envelope({ 'io.modelcontextprotocol/extra': 1 }) })]);
      shapes.push([`2026-07-28 ${method}, cursor, id ${typeof id}`, modern(method, { cursor: 'abc', _meta: envelope() })]);
    }
    for (const [name, call] of Object.entries(calls)) {
      shapes.push([`2026-07-28 ${name}, id ${typeof id}`, modern('tools/call', { ...call, _meta: envelope() }, { 'mcp-name': String(call.name) })]);
      shapes.push([`2026-07-28 ${name}, wrong Mcp-Name, id ${typeof id}`, modern('tools/call', { ...call, _meta: envelope() }, { 'mcp-name': 'other' })]);
      shapes.push([`2026-07-28 ${name}, no Mcp-Name, id ${typeof id}`, modern('tools/call', { ...call, _meta: envelope() })]);
    }
  }
  return shapes;
}

describe('the fast path answers every generated shape of every revision as the SDK does', () => {
  const shapes = generatedShapes();
  it('generates shapes of all three revisions', () => {
    expect(shapes.length).toBeGreaterThan(150);
  });
  it.each(shapes)('%s', async (_name, request) => {
    const [viaFast, viaSdk] = await Promise.all([answer(fast, request), answer(sdk, request)]);
    expect(viaFast).toEqual(viaSdk);
  });

  it('takes exactly the valid shapes current and older clients send (so the comparison above is not with itself)', async () => {
    const fastPath = createFastPath({
      identity: { name: 'n', version: 'v' },
      tools: builtinFastPathTools(tools, { health: new HealthReporter({ version: 'v', platform: 'local', region: 'local', startedAtMs: 0 }), timeoutMs: 1_000 }),
      legacyVersions: LEGACY_PROTOCOL_VERSIONS,
    });
    const validCall = /tools\/call (transform|analyze|tool error|health_check)/;
    const expected = (name: string) =>
      name.startsWith('2026-07-28')
        ? (/ (server\/discover|tools\/list), id/.test(name) || (validCall.test(name) && !/Mcp-Name/.test(name)))
        : (/ (ping|tools\/list), (no params|params \{\}|progress token|numeric progress token),/.test(name) || validCall.test(name));
    const taken: string[] = [];
    for (const [name, { body, headers: extra }] of shapes) {
      const h = new Headers({ ...MCP_HEADERS, ...extra });
      if ((await fastPath(JSON.parse(body), (header) => h.get(header) ?? undefined, () => new AbortController().signal)) !== undefined) taken.push(name);
    }
    expect(taken).toEqual(shapes.map(([name]) => name).filter(expected));
    expect(taken.filter((name) => name.startsWith('2026-07-28'))).toHaveLength(2 * (2 + 4));
  });
});

describe('which requests the fast path takes', () => {
  const fastPath = createFastPath({
    identity: { name: 'n', version: 'v' },
    tools: builtinFastPathTools(tools, { health: new HealthReporter({ version: 'v', platform: 'local', region: 'local', startedAtMs: 0 }), timeoutMs: 1_000 }),
    legacyVersions: LEGACY_PROTOCOL_VERSIONS,
  });
  const headers = (extra: Record<string, string> = {}) => new Headers({ ...MCP_HEADERS, ...extra });
  const TAKEN = ['tools/list', 'tools/list, string id', 'ping', 'initialize 2025-06-18', 'initialize, unknown version', 'tools/call transform', 'tools/call validate', 'tools/call analyze', 'tools/call, tool input error', 'notification'];

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { body, headers: extra = {} } = CASES[name]!;
    const clean = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== ''));
    const h = headers(clean);
    if (extra['mcp-protocol-version'] === '') h.delete('mcp-protocol-version');
    const answer = await fastPath(JSON.parse(body), (name) => h.get(name) ?? undefined, () => new AbortController().signal);
    expect(answer !== undefined, name).toBe(TAKEN.includes(name) || name === 'no version header');
  });

  it('takes the 2026-07-28 envelope current clients send, and hands an incomplete one to the SDK', async () => {
    const meta = {
      'io.modelcontextprotocol/protocolVersion': '2026-07-28',
      'io.modelcontextprotocol/clientInfo': { name: 'mcp', version: '0.1.0' },
      'io.modelcontextprotocol/clientCapabilities': {},
    };
    const modern = headers({ 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' });
    const take = (body: object, h: Headers) => fastPath(body, (name) => h.get(name) ?? undefined, () => new AbortController().signal);
    expect(await take({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }, modern)).toMatchObject({ status: 200 });
    const partial = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } };
    expect(await take(partial, modern)).toBeUndefined();
    expect(await take({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: meta } }, headers())).toBeUndefined();
  });
});

describe('with access rules, the built-in tools answer every generated shape on the fast path as the SDK does, for each caller', () => {
  // team-a may call process_data, team-b health_check: each is refused the other's tool.
  const access: AccessRules = { default: 'deny', grants: [{ server: 'builtin', tools: ['process_data'], tokens: ['team-a'] }, { server: 'builtin', tools: ['health_check'], tokens: ['team-b'] }] };
  const guarded = (fastPath: boolean) => {
    const lines: string[] = [];
    const app = createApp({
      health: new StoppedClockHealth({ version: 'same', platform: 'local', region: 'local', startedAtMs: 0 }),
      allowedHostnames: ['localhost'],
      rateLimit: { requestsPerMinute: 1e9, burst: 1e9 },
      fastPath,
      auth: TWO_TOKENS,
      access,
      log: (line) => lines.push(line),
    });
    return { app, lines };
  };
  const [fastGuarded, sdkGuarded] = [guarded(true), guarded(false)];
  const cases = forEachCaller(generatedShapes());

  it.each(cases)('%s', async (_name, request) => {
    const [fastFrom, sdkFrom] = [fastGuarded.lines.length, sdkGuarded.lines.length];
    const viaFast = await answer(fastGuarded.app, request);
    const viaSdk = await answer(sdkGuarded.app, request);
    expect(viaFast).toEqual(viaSdk);
    expect(auditedLines(fastGuarded.lines, fastFrom)).toEqual(auditedLines(sdkGuarded.lines, sdkFrom));
  });

  it('lists and refuses by caller (so the comparison above covers both)', async () => {
    const as = (token: string, body: string) => answer(fastGuarded.app, { body, headers: { authorization: `Bearer ${token}` } });
    expect((await as('token-a', rpc(1, 'tools/list'))).body.result.tools.map((tool: { name: string }) => tool.name)).toEqual(['process_data']);
    expect((await as('token-b', rpc(1, 'tools/list'))).body.result.tools.map((tool: { name: string }) => tool.name)).toEqual(['health_check']);
    const refused = await as('token-b', rpc(2, 'tools/call', { name: 'process_data', arguments: { operation: 'analyze', data: {} } }));
    expect(refused).toMatchObject({ status: 403, body: { id: 2, error: { message: expect.stringContaining('The tool "process_data" of server "builtin" is not granted to token "team-b"') } } });
  });
});
