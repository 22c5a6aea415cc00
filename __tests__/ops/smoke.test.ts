import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smokeCheck } from '../../ops/smoke.js';
import { startLocalLambda } from '../support/local-lambda.js';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '../support/node-server.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../support/servers-file.js';

const run = promisify(execFile);
const smokeCli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'ops/smoke.ts', ...args], { timeout: 60_000 }).then(
    (result) => ({ code: 0, ...result }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );

let node: TestServer;
let lambda: { url: string; close: () => Promise<void> };
let broken: Server;
let brokenUrl: string;

beforeAll(async () => {
  node = await startTestServer();
  lambda = await startLocalLambda();
  broken = createServer((req, res) => {
    if (req.url === '/health') res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok","platform":"local"}');
    else res.writeHead(500).end('boom');
  });
  await new Promise<void>((resolve) => broken.listen(0, '127.0.0.1', resolve));
  brokenUrl = `http://127.0.0.1:${(broken.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await node.close();
  await lambda.close();
  broken.close();
});

describe('the smoke test of an environment with servers', () => {
  let servers: ServersFile;
  let bridge: TestServer;
  beforeAll(async () => {
    servers = writeServersFile((folder) => ({ tools: { builtin: {} }, memory: STDIO_SERVERS.memory(join(folder, 'memory.jsonl')) }));
    bridge = await startTestServer({ MCP_SERVERS_FILE: servers.file });
  }, 30_000);
  afterAll(async () => {
    await bridge.close();
    servers.remove();
  });

  it("checks every server's tools/list at its own path and calls the built-in tools there under their own names", async () => {
    await expect(smokeCheck(bridge.url, { servers: [{ name: 'tools', builtin: true }, { name: 'memory', builtin: false }] })).resolves.toEqual({ platform: 'local' });
  });

  it('names a server that is not there, and fails at /mcp where the built-in tools carry their prefix', async () => {
    await expect(smokeCheck(bridge.url, { servers: [{ name: 'search', builtin: false }] })).rejects.toThrowError(/\/servers\/search\/mcp: initialize failed/);
    await expect(smokeCheck(bridge.url)).rejects.toThrowError(/\/mcp: tools\/list lacks process_data/);
  });
});

describe('the smoke test', () => {
  it('passes against the local Node server', async () => {
    await expect(smokeCheck(node.url)).resolves.toEqual({ platform: 'local' });
  });

  it('under access rules, passes with a token granted everything and names the grant when the token lacks one', async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const guarded = await startTestServer({
      MCP_AUTH_MODE: 'token',
      MCP_TOKEN_SHA256: `smoke:${sha256('smoke-token')},support:${sha256('support-token')}`,
      MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'builtin', tokens: ['smoke'] }, { server: 'builtin', tools: ['health_check'], tokens: ['support'] }] }),
    });
    try {
      await expect(smokeCheck(guarded.url, { token: 'smoke-token' })).resolves.toEqual({ platform: 'local' });
      await expect(smokeCheck(guarded.url, { token: 'support-token' })).rejects.toThrowError(/\/mcp: tools\/list lacks process_data \(with access rules, the smoke test's token lists and calls only what it is granted: grant its name every server in access\.grants\)/);
    } finally {
      await guarded.close();
    }
  });

  it('passes against the Lambda handler served locally', async () => {
    await expect(smokeCheck(lambda.url)).resolves.toEqual({ platform: 'lambda' });
  });

  it('as a command, checks --url and every --direct backend, exiting 0', async () => {
    const result = await smokeCli('--url', node.url, '--direct', lambda.url);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^\\[1/2\\] smoke ${node.url}: ok \\(answered by local\\) \\(\\d+\\.\\d s, `, 'm'));
    expect(result.stdout).toMatch(new RegExp(`^\\[2/2\\] smoke ${lambda.url}: ok \\(answered by lambda\\)`, 'm'));
    // Progress says what each step runs.
    expect(result.stderr).toContain(`[1/2] smoke ${node.url}: GET ${node.url}/health, then initialize`);
  });

  it('exits 1 naming the step, the URL and the call that failed when MCP fails', async () => {
    const result = await smokeCli('--url', brokenUrl);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^smoke: \\[1/1\\] smoke ${brokenUrl} failed:\\n  ${brokenUrl}/mcp: initialize failed`, 'm'));
    expect(result.stderr).toMatch(/^next: /m);
  });

  it('exits 1 when nothing answers', async () => {
    const result = await smokeCli('--url', 'http://127.0.0.1:9');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^  http:\/\/127\.0\.0\.1:9\/health/m);
  });

  it.each([
    [[], '--url is required'],
    [['--url', 'mcp.example.com'], 'mcp.example.com: not an http(s) URL'],
    [['--url', 'http://127.0.0.1:9', '--bogus'], "Unknown option '--bogus'"],
  ])('exits 2 with the usage for %j', async (args, message) => {
    const result = await smokeCli(...args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`smoke: ${message}`);
    expect(result.stderr).toContain('usage: npm run smoke');
  });
});
