// npm run contract: the example configs' servers (the built-in tools, @modelcontextprotocol/server-memory
// from npm, the example's Python server) started as the bridge starts them, snapshotted; the
// committed snapshots checked against them; a stale one and a bad schema refused, naming the file,
// the tool and the path; and the real bridge serving those servers showing the same fingerprints in
// /health and in serverInfo._meta.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { combinedFingerprint, CONTRACT_META_KEY } from '../../app/contract/contract.js';
import { checkServerList } from '../../app/servers/server-list.js';
import { ProcessRunner } from '../../ops/clouds/command.js';
import { parseContractArgs, snapshotSteps } from '../../ops/contract.js';
import { localServers, PLACEHOLDER_SECRET } from '../../ops/contract/local-servers.js';
import { readContracts } from '../../ops/contract/read-contracts.js';
import { readSnapshots, stableJson } from '../../ops/contract/snapshot-files.js';
import { runSteps } from '../../ops/runner/step-runner.js';
import { parseEnvironments, type EnvironmentConfig } from '../../stacks/config.js';
import { startTestServer, type TestServer } from '../support/node-server.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const MISBEHAVING = fileURLToPath(new URL('../fixtures/servers/misbehaving-server.mjs', import.meta.url));
const environmentsOf = (file: string) => parseEnvironments(JSON.parse(readFileSync(join(ROOT, file), 'utf8')), { root: ROOT });
const own = environmentsOf('stacks/examples/own-servers.json').find((env) => env.name === 'own')!;
const defaults = environmentsOf('stacks/environments.json');
const quiet = { result: () => undefined, progress: () => undefined };
const readOptions = (root = ROOT) => ({ root, cacheDirectory: join(root, 'node_modules/.cache/mcp-contract'), runner: new ProcessRunner(), environment: process.env, progress: () => undefined });

/** Runs `npm run contract` (its script) with arguments; resolves with its exit code and output. */
function contractCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, ['ops/contract.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 120_000 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stdout, stderr }),
    );
  });
}

describe('the committed snapshots', () => {
  it.each([
    ['stacks/environments.json', ['staging', 'production']],
    ['stacks/examples/own-servers.json', ['own']],
    ['stacks/examples/global.json', ['dev', 'staging', 'production']],
    ['stacks/examples/one-account.json', ['staging', 'production']],
  ])('of %s are what the servers list (npm run contract -- --check exits 0)', async (file, names) => {
    const { code, stdout, stderr } = await contractCli(['--check'], { MCP_ENVIRONMENTS_FILE: file });
    expect(stderr, stdout).not.toMatch(/failed/);
    expect(code).toBe(0);
    for (const name of names) expect(stdout + stderr).toContain(`compare with contracts/${name}/`);
  }, 120_000);

  it('of the example hold the built-in tools, the npm server and the Python server, each with a fingerprint', () => {
    const snapshots = readSnapshots(ROOT, 'own');
    expect([...snapshots.keys()].sort()).toEqual(['memory', 'notes', 'tools']);
    expect(snapshots.get('tools')!.tools.map((tool) => tool.name)).toEqual(['health_check', 'process_data']);
    expect(snapshots.get('memory')!.tools.map((tool) => tool.name)).toContain('create_entities');
    expect(snapshots.get('notes')!.tools.map((tool) => tool.name)).toEqual(['add_note', 'api_key_fingerprint', 'list_notes']);
    for (const snapshot of snapshots.values()) expect(snapshot.fingerprint).toMatch(/^sha256:[a-f0-9]{64}$/);
    // The built-in tools are the same contract wherever they are served.
    expect(readSnapshots(ROOT, 'staging').get('builtin')!.fingerprint).toBe(snapshots.get('tools')!.fingerprint);
  });

  it('are written in a stable order: reading the servers again gives the same bytes', async () => {
    const again = await readContracts(own, readOptions());
    for (const snapshot of again) expect(stableJson(snapshot)).toBe(readFileSync(join(ROOT, 'contracts/own', `${snapshot.server}.json`), 'utf8'));
  }, 60_000);
});

describe('a stale snapshot', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'contract-stale-'));
    cpSync(join(ROOT, 'contracts/staging'), join(root, 'contracts/staging'), { recursive: true });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails the check, naming the file and what the servers list other than it says', async () => {
    const file = join(root, 'contracts/staging/builtin.json');
    const snapshot = JSON.parse(readFileSync(file, 'utf8'));
    snapshot.tools = snapshot.tools.filter((tool: { name: string }) => tool.name !== 'process_data');
    writeFileSync(file, JSON.stringify(snapshot));
    const staging = defaults.find((env) => env.name === 'staging')!;
    const run = runSteps(snapshotSteps([staging], { ...readOptions(root), root, check: true }), { output: quiet });
    await expect(run).rejects.toThrow(/compare with contracts\/staging\/ failed:[\s\S]*stale: .*contracts\/staging\/builtin\.json[\s\S]*builtin: tool process_data: tool added/);
    // The check writes nothing.
    expect(JSON.parse(readFileSync(file, 'utf8')).tools).toHaveLength(1);
  });

  it('that is not JSON at all (a bad merge) is named by the check and written again by a run', async () => {
    const file = join(root, 'contracts/staging/builtin.json');
    writeFileSync(file, '<<<<<<< HEAD\n{');
    const staging = defaults.find((env) => env.name === 'staging')!;
    await expect(runSteps(snapshotSteps([staging], { ...readOptions(root), root, check: true }), { output: quiet })).rejects.toThrow(/stale: .*contracts\/staging\/builtin\.json\n {2}builtin: its file is not a snapshot \(a bad merge\?\)/);
    await runSteps(snapshotSteps([staging], { ...readOptions(root), root, check: false }), { output: quiet });
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(join(ROOT, 'contracts/staging/builtin.json'), 'utf8'));
  });

  it('is written again without --check, and a server no longer configured loses its file', async () => {
    writeFileSync(join(root, 'contracts/staging/gone.json'), stableJson({ server: 'gone', fingerprint: 'x', tools: [], resources: [], resourceTemplates: [], prompts: [] }));
    const staging = defaults.find((env) => env.name === 'staging')!;
    await runSteps(snapshotSteps([staging], { ...readOptions(root), root, check: false }), { output: quiet });
    expect(readFileSync(join(root, 'contracts/staging/builtin.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'contracts/staging/builtin.json'), 'utf8'));
    expect([...readSnapshots(root, 'staging').keys()]).toEqual(['builtin']);
  }, 30_000);
});

describe('the checks before deploy', () => {
  /** The example's environment with its servers replaced (run as they are: no packaging). */
  const withServers = (servers: Record<string, unknown>): EnvironmentConfig => ({ ...own, servers: checkServerList({ servers }).list });

  it('refuse a tool whose schema is not JSON Schema, naming the server, the tool and the path in the schema', async () => {
    const env = withServers({ broken: { stdio: { command: process.execPath, args: [MISBEHAVING, '--bad-schema'] } } });
    const read = readContracts(env, readOptions());
    await expect(read).rejects.toThrow(/server broken, tool bad_schema: inputSchema\/properties\/when\/type: must be equal to one of the allowed values/);
    await expect(read).rejects.toThrow(/server broken, tool bad_schema: description: missing/);
  }, 30_000);

  it('name a server that cannot start, with what it ran and its last log lines', async () => {
    const env = withServers({ broken: { stdio: { command: process.execPath, args: [MISBEHAVING, '--exit-at-start'] } } });
    await expect(readContracts(env, readOptions())).rejects.toThrow(/Server "broken"[\s\S]*misbehaving-server: refusing to start/);
  }, 30_000);
});

describe('the command line', () => {
  it.each([
    [['diff', 'staging'], /diff takes no environment/],
    [['--base', 'main'], /--base is for diff/],
    [['diff', '--check'], /--check is for snapshots/],
    [['diff', '--base', 'a', '--base-dir', 'b'], /--base or --base-dir, not both/],
    [['--nope'], /--nope/],
  ])('refuses %j', (args, message) => {
    expect(() => parseContractArgs(args)).toThrow(message);
  });

  it('names an environment the file does not have (exit 2)', async () => {
    const { code, stderr } = await contractCli(['nowhere', '--check']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/no environment "nowhere" \(it has staging, production\)/);
  }, 60_000);
});

describe('the bridge serving the example servers', () => {
  let bridge: TestServer;
  let folder: string;
  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'contract-bridge-'));
    const { list, environment } = await localServers(own, readOptions());
    const file = join(folder, 'servers.json');
    writeFileSync(file, JSON.stringify({ servers: Object.fromEntries(list.map(({ name, server }) => [name, server])) }));
    expect(environment.NOTES_API_KEY).toBe(process.env.NOTES_API_KEY ?? PLACEHOLDER_SECRET);
    bridge = await startTestServer({ MCP_SERVERS_FILE: file, NOTES_API_KEY: environment.NOTES_API_KEY! });
  }, 60_000);
  afterAll(async () => {
    await bridge.close();
    rmSync(folder, { recursive: true, force: true });
  });

  const snapshotFingerprints = () => Object.fromEntries([...readSnapshots(ROOT, 'own')].map(([name, snapshot]) => [name, snapshot.fingerprint]));

  it('shows in /health the fingerprint of each committed snapshot, and of /mcp', async () => {
    const health = await (await fetch(new URL('/health', bridge.url))).json();
    expect(health.contract.servers).toEqual(snapshotFingerprints());
    expect(health.contract.fingerprint).toBe(combinedFingerprint(snapshotFingerprints()));
  });

  it.each(['legacy', 'modern'] as const)('gives each endpoint its fingerprint in serverInfo._meta (%s era, as the wire carries it)', async (era) => {
    for (const [path, expected] of [
      ['/mcp', combinedFingerprint(snapshotFingerprints())],
      ['/servers/memory/mcp', snapshotFingerprints().memory],
    ] as const) {
      const bodies: any[] = [];
      const capture: typeof fetch = async (input, init) => {
        const response = await fetch(input, init);
        if (response.headers.get('content-type')?.includes('application/json')) bodies.push(await response.clone().json());
        return response;
      };
      const client = new Client({ name: 'contract-test', version: '1.0.0' }, era === 'modern' ? { versionNegotiation: { mode: { pin: '2026-07-28' } } } : {});
      await client.connect(new StreamableHTTPClientTransport(new URL(path, bridge.url), { fetch: capture }));
      await client.close();
      const serverInfo = era === 'legacy' ? bodies.find((body) => body.result?.serverInfo)?.result.serverInfo : bodies.find((body) => body.result?.supportedVersions)?.result._meta['io.modelcontextprotocol/serverInfo'];
      expect(serverInfo?._meta?.[CONTRACT_META_KEY], `${path} ${JSON.stringify(bodies)}`).toBe(expected);
    }
  });
});

describe('a folder of the repository with an install step', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'contract-folder-'));
    cpSync(MISBEHAVING, join(root, 'servers/echo/server.src.mjs'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('is installed in a copy, as the image installs it, and the server runs from there; the repository folder stays as it was', async () => {
    const env: EnvironmentConfig = {
      ...own,
      name: 'folder',
      servers: checkServerList({
        servers: { echo: { stdio: { command: 'node', args: ['servers/echo/server.mjs'], package: { folder: 'servers/echo', install: 'cp server.src.mjs server.mjs' }, runtime: 'node22' } } },
      }).list,
    };
    const [snapshot] = await readContracts(env, readOptions(root));
    expect(snapshot!.tools.map((tool) => tool.name)).toContain('echo');
    expect(() => readFileSync(join(root, 'servers/echo/server.mjs'))).toThrow(/ENOENT/);
  }, 30_000);
});
