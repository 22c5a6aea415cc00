import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildLambdaEntry } from '../../scripts/build.js';
import { lambdaContext, lambdaEvent, type LambdaEventKind, type PlainRequest } from '../../scripts/lambda-events.js';
import { MCP_HEADERS, startTestServer, type TestServer } from '../support/node-server.js';

type LambdaResult = {
  statusCode: number;
  headers?: Record<string, string>;
  multiValueHeaders?: Record<string, string[]>;
  body: string;
  isBase64Encoded: boolean;
};
type Handler = (event: unknown, context: unknown) => Promise<LambdaResult>;

/** The entry as the tests import it from source, and as esbuild bundles it for AWS (its own fetch classes). */
type EntryKind = 'source' | 'bundle';

let server: TestServer;
let bundleDir: string;
const handlers = {} as Record<EntryKind, Handler>;
const logLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  bundleDir = await mkdtemp(join(tmpdir(), 'lambda-bundle-'));
  await buildLambdaEntry(bundleDir);
  vi.stubEnv('MCP_ALLOWED_HOSTS', 'mcp.example.com,abcdefghijklmnop.lambda-url.eu-west-1.on.aws,127.0.0.1');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('{')) return logLines.push(chunk.trim()) > 0;
    return write(chunk, ...(rest as []));
  });
  handlers.source = ((await import('../../app/lambda.js')) as unknown as { handler: Handler }).handler;
  handlers.bundle = ((await import(pathToFileURL(join(bundleDir, 'index.mjs')).href)) as { handler: Handler }).handler;
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await server.close();
  await rm(bundleDir, { recursive: true, force: true });
});

const rpc = (body: unknown): PlainRequest => ({
  method: 'POST',
  path: '/mcp',
  headers: { ...MCP_HEADERS },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** Requests whose responses must be identical on both platforms. */
const cases: Record<string, PlainRequest> = {
  initialize: rpc({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'fixture', version: '1' } },
  }),
  'tools/list': rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
  'tools/call process_data': rpc({
    jsonrpc: '2.0',
    id: 3,
    method: 'tools/call',
    params: { name: 'process_data', arguments: { operation: 'transform', data: { some_key: ' v ' } } },
  }),
  'tool argument error': rpc({
    jsonrpc: '2.0',
    id: 4,
    method: 'tools/call',
    params: { name: 'process_data', arguments: { operation: 'nope', data: 1 } },
  }),
  'unknown method': rpc({ jsonrpc: '2.0', id: 5, method: 'no/such' }),
  'malformed JSON': rpc('{"jsonrpc":'),
  batch: rpc('[{"jsonrpc":"2.0","id":1,"method":"ping"}]'),
  notification: rpc({ jsonrpc: '2.0', method: 'notifications/initialized' }),
  'GET /mcp': { method: 'GET', path: '/mcp', headers: { accept: 'text/event-stream' } },
  'unknown route': { method: 'GET', path: '/nope', headers: {} },
};

async function viaNode(request: PlainRequest) {
  const res = await fetch(new URL(request.path, server.url), {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  return { status: res.status, contentType: res.headers.get('content-type'), allow: res.headers.get('allow'), body: await res.text() };
}

async function viaLambda(handler: Handler, kind: LambdaEventKind, request: PlainRequest) {
  const host = kind === 'function-url' ? 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws' : 'mcp.example.com';
  const event = lambdaEvent(kind, { ...request, headers: { ...request.headers, host } });
  const result = await handler(event, lambdaContext('aws-req-1'));
  // Payload 1.0 answers carry headers in multiValueHeaders; 2.0 answers in headers.
  const headers = Object.fromEntries([
    ...Object.entries(result.multiValueHeaders ?? {}).map(([k, v]) => [k.toLowerCase(), v.join(', ')]),
    ...Object.entries(result.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
  ]);
  const body = result.isBase64Encoded ? Buffer.from(result.body, 'base64').toString() : result.body;
  return { status: result.statusCode, contentType: headers['content-type'] ?? null, allow: headers.allow ?? null, body };
}

const entryAndEvent = (['source', 'bundle'] as const).flatMap((entry) =>
  (['rest-v1', 'http-v2', 'function-url'] as const).map((kind): [EntryKind, LambdaEventKind] => [entry, kind]),
);

describe.each(entryAndEvent)('the Lambda handler (%s) with %s events', (entry, kind) => {
  const invoke = (request: PlainRequest) => viaLambda(handlers[entry], kind, request);

  it.each(Object.keys(cases))('answers %s exactly as the Node server does', async (name) => {
    const request = cases[name]!;
    const [node, lambda] = await Promise.all([viaNode(request), invoke(request)]);
    expect(lambda).toEqual(node);
  });

  it('serves /health with the Lambda platform and region', async () => {
    const { status, body } = await invoke({ method: 'GET', path: '/health', headers: {} });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', platform: 'lambda', region: 'eu-west-1' });
  });

  it('logs with the AWS request id', async () => {
    await invoke(cases['tools/list']!);
    const entry = JSON.parse(logLines.at(-1)!);
    expect(entry).toMatchObject({ requestId: 'aws-req-1', mcpMethod: 'tools/list', httpRequest: { status: 200 } });
  });

  it('rejects a Host outside the configured names with 403', async () => {
    const event = lambdaEvent(kind, { ...cases['tools/list']!, headers: { ...MCP_HEADERS, host: 'evil.example.net' } });
    const result = await handlers[entry](event, lambdaContext('aws-req-2'));
    expect(result.statusCode).toBe(403);
  });

  it('answers a header name HTTP forbids with 400', async () => {
    const event = lambdaEvent(kind, { ...cases['tools/list']!, headers: { ...MCP_HEADERS, host: 'mcp.example.com', 'bad header': 'x' } });
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
    const result = await handlers[entry](event, lambdaContext('aws-req-3'));
    expect(result).toMatchObject({ statusCode: 400, body: 'Invalid request' });
    // hono/aws-lambda reports the refused request on the console.
    expect(consoleError).toHaveBeenCalledWith('Error processing request:', expect.any(TypeError));
    consoleError.mockRestore();
  });
});

describe('the Lambda bundle on a cold start', () => {
  // A fresh process, as Lambda starts one: import the bundle, answer one request, report which
  // answer it gave and whether Node had to load its fetch implementation (undici) to give it.
  const coldStart = async (request: PlainRequest, env: Record<string, string> = {}) => {
    const script = `
      const { handler } = await import(process.argv[1]);
      const result = await handler(JSON.parse(process.argv[2]), { awsRequestId: 'cold' });
      const undici = process.moduleLoadList.some((name) => name.includes('undici'));
      process.stderr.write('\\n' + JSON.stringify({ ...result, undici }));`;
    const event = lambdaEvent('http-v2', { ...request, headers: { ...request.headers, host: 'mcp.example.com' } });
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(join(bundleDir, 'index.mjs')).href, JSON.stringify(event)],
      { env: { ...process.env, MCP_ALLOWED_HOSTS: 'mcp.example.com', ...env } },
    );
    // The last line: the SDK may print a notice of its own before it.
    return { ...(JSON.parse(stderr.split('\n').at(-1)!) as LambdaResult & { undici: boolean }), logLines: stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line)) };
  };

  it.each(['tools/list', 'tools/call process_data', 'malformed JSON'])('answers %s without loading undici', async (name) => {
    const answer = await coldStart(cases[name]!);
    expect(answer.statusCode).toBe((await viaNode(cases[name]!)).status);
    expect(answer.undici).toBe(false);
  });

  it('still answers what only the SDK handles', async () => {
    const answer = await coldStart(cases['unknown method']!);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: -32601 } });
  });

  it('enforces access rules and audits each call in the log group, under the AWS request id', async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const env = {
      MCP_AUTH_MODE: 'token',
      MCP_TOKEN_SHA256: `support:${sha256('support-token')},research:${sha256('research-token')}`,
      MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'builtin', tools: ['process_data'], tokens: ['research'] }] }),
    };
    const request = cases['tools/call process_data']!;
    const as = (token: string) => coldStart({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }, env);
    const refused = await as('support-token');
    expect(refused.statusCode).toBe(403);
    expect(refused.headers?.['www-authenticate']).toMatch(/^Bearer error="insufficient_scope", error_description="The tool \\"process_data\\" of server \\"builtin\\" is not granted to token \\"support\\"/);
    expect(refused.logLines.filter((line) => line.type === 'audit')).toEqual([expect.objectContaining({ requestId: 'cold', caller: { token: 'support' }, server: 'builtin', tool: 'process_data', outcome: 'refused' })]);
    const allowed = await as('research-token');
    expect(allowed.statusCode).toBe(200);
    expect(allowed.logLines.filter((line) => line.type === 'audit')).toEqual([expect.objectContaining({ requestId: 'cold', caller: { token: 'research' }, outcome: 'ok' })]);
  });

  it('enforces token authentication: 401 with a challenge without the token, 200 with it', async () => {
    const token = 'cold-start-token-Zx8';
    const env = { MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: createHash('sha256').update(token).digest('hex') };
    const refused = await coldStart(cases['tools/list']!, env);
    expect(refused.statusCode).toBe(401);
    expect(refused.headers?.['www-authenticate']).toMatch(/^Bearer /);
    const request = cases['tools/list']!;
    const accepted = await coldStart({ ...request, headers: { ...request.headers, authorization: `Bearer ${token}` } }, env);
    expect(accepted.statusCode).toBe(200);
    expect(JSON.parse(accepted.body).result.tools).toHaveLength(2);
  });
});
