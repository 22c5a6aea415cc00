import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
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

let server: TestServer;
let handler: Handler;
const logLines: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  vi.stubEnv('MCP_ALLOWED_HOSTS', 'mcp.example.com,abcdefghijklmnop.lambda-url.eu-west-1.on.aws,127.0.0.1');
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  const write = process.stdout.write.bind(process.stdout);
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
    if (typeof chunk === 'string' && chunk.startsWith('{')) return logLines.push(chunk.trim()) > 0;
    return write(chunk, ...(rest as []));
  });
  ({ handler } = (await import('../../app/lambda.js')) as unknown as { handler: Handler });
});
afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await server.close();
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

async function viaLambda(kind: LambdaEventKind, request: PlainRequest) {
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

describe.each<LambdaEventKind>(['rest-v1', 'http-v2', 'function-url'])('the Lambda handler with %s events', (kind) => {
  it.each(Object.keys(cases))('answers %s exactly as the Node server does', async (name) => {
    const request = cases[name]!;
    const [node, lambda] = await Promise.all([viaNode(request), viaLambda(kind, request)]);
    expect(lambda).toEqual(node);
  });

  it('serves /health with the Lambda platform and region', async () => {
    const { status, body } = await viaLambda(kind, { method: 'GET', path: '/health', headers: {} });
    expect(status).toBe(200);
    expect(JSON.parse(body)).toMatchObject({ status: 'ok', platform: 'lambda', region: 'eu-west-1' });
  });

  it('logs with the AWS request id', async () => {
    await viaLambda(kind, cases['tools/list']!);
    const entry = JSON.parse(logLines.at(-1)!);
    expect(entry).toMatchObject({ requestId: 'aws-req-1', mcpMethod: 'tools/list', httpRequest: { status: 200 } });
  });

  it('rejects a Host outside the configured names with 403', async () => {
    const event = lambdaEvent(kind, { ...cases['tools/list']!, headers: { ...MCP_HEADERS, host: 'evil.example.net' } });
    const result = await handler(event, lambdaContext('aws-req-2'));
    expect(result.statusCode).toBe(403);
  });
});
