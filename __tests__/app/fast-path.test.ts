import { describe, expect, it } from 'vitest';
import { createApp } from '../../app/create-app.js';
import { createFastPath } from '../../app/mcp/fast-path.js';
import { LEGACY_PROTOCOL_VERSIONS } from '../../app/mcp/protocol.js';
import { tools } from '../../app/tools/registry.js';
import { HealthReporter } from '../../app/runtime.js';
import { MCP_HEADERS } from '../support/node-server.js';

/** Two apps, identical but for the fast path; the SDK-only one is the reference. */
const make = (fastPath: boolean) =>
  createApp({
    health: new HealthReporter({ version: 'same', platform: 'local', region: 'local', startedAtMs: 0 }),
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

describe('which requests the fast path takes', () => {
  const fastPath = createFastPath({
    identity: { name: 'n', version: 'v' },
    tools,
    context: { health: new HealthReporter({ version: 'v', platform: 'local', region: 'local', startedAtMs: 0 }), timeoutMs: 1_000 },
    legacyVersions: LEGACY_PROTOCOL_VERSIONS,
  });
  const headers = (extra: Record<string, string> = {}) => new Headers({ ...MCP_HEADERS, ...extra });
  const TAKEN = ['tools/list', 'tools/list, string id', 'ping', 'initialize 2025-06-18', 'initialize, unknown version', 'tools/call transform', 'tools/call validate', 'tools/call analyze', 'tools/call, tool input error', 'notification'];

  it.each(Object.keys(CASES))('%s', async (name) => {
    const { body, headers: extra = {} } = CASES[name]!;
    const clean = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== ''));
    const h = headers(clean);
    if (extra['mcp-protocol-version'] === '') h.delete('mcp-protocol-version');
    const answer = await fastPath(JSON.parse(body), (name) => h.get(name) ?? undefined);
    expect(answer !== undefined, name).toBe(TAKEN.includes(name) || name === 'no version header');
  });

  it('hands 2026-07-28 envelopes to the SDK', async () => {
    const body = { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28' } } };
    const modern = headers({ 'mcp-protocol-version': '2026-07-28' });
    expect(await fastPath(body, (name) => modern.get(name) ?? undefined)).toBeUndefined();
    const legacy = headers();
    expect(await fastPath(body, (name) => legacy.get(name) ?? undefined)).toBeUndefined();
  });
});
