// The Lambda entry with servers configured (MCP_SERVERS_FILE), from source and as esbuild bundles it:
// its children are started at init and stay warm across the invocations of one execution environment.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildLambdaEntry } from '../../../scripts/build.js';
import { lambdaContext, lambdaEvent, type PlainRequest } from '../../../scripts/lambda-events.js';
import { MCP_HEADERS } from '../../support/node-server.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../../support/servers-file.js';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string; isBase64Encoded: boolean }>;

let servers: ServersFile;
let bundleDir: string;
const handlers = {} as Record<'source' | 'bundle', Handler>;

beforeAll(async () => {
  servers = writeServersFile((folder) => ({ tools: { builtin: {} }, memory: STDIO_SERVERS.memory(join(folder, 'memory.jsonl')), notes: STDIO_SERVERS.python() }));
  bundleDir = await mkdtemp(join(tmpdir(), 'lambda-bundle-'));
  await buildLambdaEntry(bundleDir);
  vi.stubEnv('MCP_ALLOWED_HOSTS', 'mcp.example.com');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('MCP_SERVERS_FILE', servers.file);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  handlers.source = ((await import('../../../app/lambda.js')) as unknown as { handler: Handler }).handler;
  handlers.bundle = ((await import(pathToFileURL(join(bundleDir, 'index.mjs')).href)) as { handler: Handler }).handler;
}, 60_000);
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  servers.remove();
  await rm(bundleDir, { recursive: true, force: true });
});

let invocation = 0;
/** One API Gateway (HTTP API) invocation of the handler; resolves with status and parsed body. */
async function invoke(handler: Handler, request: PlainRequest): Promise<{ status: number; json: any }> {
  invocation += 1;
  const result = await handler(lambdaEvent('http-v2', { ...request, headers: { ...request.headers, host: 'mcp.example.com' } }), lambdaContext(`aws-req-${invocation}`));
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body;
  return { status: result.statusCode, json: JSON.parse(body) };
}
const rpc = (path: string, body: unknown): PlainRequest => ({ method: 'POST', path, headers: { ...MCP_HEADERS }, body: JSON.stringify(body) });

describe.each(['source', 'bundle'] as const)('the Lambda entry (%s) with three servers', (entry) => {
  it('lists every server\'s tools prefixed at /mcp and one server\'s own at /servers/<name>/mcp', async () => {
    const all = await invoke(handlers[entry], rpc('/mcp', { jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(all.json.result.tools.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['tools_process_data', 'memory_read_graph', 'notes_add_note']));
    const own = await invoke(handlers[entry], rpc('/servers/notes/mcp', { jsonrpc: '2.0', id: 2, method: 'tools/list' }));
    expect(own.json.result.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(['add_note', 'list_notes']);
  });

  it('keeps the memory server warm across invocations: what one invocation stored, the next reads', async () => {
    const name = `entity-of-${entry}`;
    const created = await invoke(handlers[entry], rpc('/mcp', { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'memory_create_entities', arguments: { entities: [{ name, entityType: 'test', observations: [] }] } } }));
    expect(created.json.result.isError).toBeFalsy();
    const found = await invoke(handlers[entry], rpc('/mcp', { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'memory_search_nodes', arguments: { query: name } } }));
    expect(found.json.result.structuredContent.entities.map((entity: { name: string }) => entity.name)).toEqual([name]);
    const health = await invoke(handlers[entry], { method: 'GET', path: '/health', headers: {} });
    expect(health.status).toBe(200);
    expect(health.json).toMatchObject({ platform: 'lambda', servers: [{ name: 'tools', state: 'ready' }, { name: 'memory', state: 'ready', restarts: 0 }, { name: 'notes', state: 'ready', restarts: 0 }] });
  });

  it('serves a 2026-07-28 request to the Python server through the SDK', async () => {
    const meta = { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 'lambda-test', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} };
    const request = rpc('/mcp', { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'notes_add_note', arguments: { text: entry }, _meta: meta } });
    const answer = await invoke(handlers[entry], { ...request, headers: { ...request.headers, 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/call', 'mcp-name': 'notes_add_note' } });
    expect(answer.json.result).toMatchObject({ resultType: 'complete', isError: false });
  });
});
