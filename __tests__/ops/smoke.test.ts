import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { contractIn, readSnapshots, snapshotOf } from '../../ops/contract/snapshot-files.js';
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

describe('the smoke test of the contract', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  const builtin = readSnapshots(ROOT, 'staging').get('builtin')!;

  it('passes where /health and tools/list are the snapshot: the Node server and the Lambda handler', async () => {
    await expect(smokeCheck(node.url, { contract: [builtin] })).resolves.toEqual({ platform: 'local' });
    await expect(smokeCheck(lambda.url, { contract: [builtin] })).resolves.toEqual({ platform: 'lambda' });
  });

  it('fails naming the server and both fingerprints when the revision that answered serves another contract', async () => {
    const changed = snapshotOf('builtin', { ...contractIn(builtin), tools: builtin.tools.filter((tool) => tool.name !== 'health_check') });
    await expect(smokeCheck(node.url, { contract: [changed] })).rejects.toThrowError(
      new RegExp(`/health: the revision that answered serves another contract than the snapshots: builtin ${builtin.fingerprint}, its snapshot ${changed.fingerprint}`),
    );
  });

  it("names what a token's grants leave out of a server's list when /health shows the snapshot's contract", async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const servers = writeServersFile((folder) => ({ tools: { builtin: {} }, memory: STDIO_SERVERS.memory(join(folder, 'memory.jsonl')) }));
    const guarded = await startTestServer({
      MCP_SERVERS_FILE: servers.file,
      MCP_AUTH_MODE: 'token',
      MCP_TOKEN_SHA256: `support:${sha256('support-token')}`,
      MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'tools', tokens: ['support'] }, { server: 'memory', tools: ['read_graph'], tokens: ['support'] }] }),
    });
    try {
      const own = readSnapshots(ROOT, 'own');
      const check = smokeCheck(guarded.url, { token: 'support-token', servers: [{ name: 'tools', builtin: true }, { name: 'memory', builtin: false }], contract: [own.get('tools')!, own.get('memory')!] });
      await expect(check).rejects.toThrowError(/tools\/list is not the snapshot \(its \/health is\): memory sha256:[0-9a-f]{12}…, not its snapshot's sha256:[0-9a-f]{12}…: resource memory:\/\/knowledge-graph: resource removed; tool add_observations: tool removed; .*\(with access rules/);
    } finally {
      await guarded.close();
      servers.remove();
    }
  }, 30_000);

  it('as a command, --contract <env> compares with contracts/<env>/', async () => {
    const result = await smokeCli('--url', node.url, '--contract', 'staging');
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("each server's contract against its snapshot (builtin)");
    const unknown = await smokeCli('--url', node.url, '--contract', 'qa');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no environment "qa"');
  });
});
