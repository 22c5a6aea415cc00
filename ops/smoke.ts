// `npm run smoke -- --url https://mcp.example.com [--direct https://<backend> ...]`: a smoke test of
// a deployed (or local) bridge with the official MCP client, one step per URL. Run with --help.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { fileURLToPath } from 'node:url';
import { describeProbe, probeContracts } from './contract/contract-probe.js';
import { environmentSnapshots, type ContractSnapshot } from './contract/snapshot-files.js';
import type { EnvironmentConfig } from '../stacks/config.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { parseCommandLine } from './runner/command-line.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

/** One failed expectation, with the URL it was about. */
export class SmokeFailure extends Error {
  override name = 'SmokeFailure';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** The calls every healthy bridge must answer, and what each result must contain. */
const TOOL_CALLS: Array<{ name: string; arguments: Record<string, unknown>; expect: (result: any) => boolean }> = [
  { name: 'process_data', arguments: { operation: 'transform', data: { smoke_test: ' ok ' } }, expect: (r) => r.result?.smokeTest === 'ok' },
  { name: 'process_data', arguments: { operation: 'validate', data: { a: 1 }, schema: { type: 'object', required: ['a'] } }, expect: (r) => r.valid === true },
  { name: 'process_data', arguments: { operation: 'analyze', data: { n: [1, 3] } }, expect: (r) => r.analysis?.numericFields?.['n[]']?.mean === 2 },
  { name: 'health_check', arguments: {}, expect: (r) => r.status === 'ok' },
];

/** Options of {@link smokeCheck}. */
export interface SmokeOptions {
  /**
   * How long the whole check may take, in milliseconds.
   * @default 15000
   */
  readonly timeoutMs?: number;
  /**
   * A bearer token for the MCP calls (an environment in token auth mode).
   * @default - no Authorization header
   */
  readonly token?: string;
  /**
   * The environment's configured servers: then each answers `tools/list` with at least one tool at
   * its own `/servers/<name>/mcp`, and the built-in tools are called there under their own names.
   * @default - none configured: the built-in tools alone, called at `/mcp`
   */
  readonly servers?: ReadonlyArray<{ readonly name: string; readonly builtin: boolean }>;
  /**
   * The contract snapshots the bridge must serve (`contracts/<env>/`): `/health` must show each one's
   * fingerprint, and each server's `tools/list` (with its resources and prompts) must be its snapshot.
   * @default - the contract is not compared
   */
  readonly contract?: readonly ContractSnapshot[];
}

/** What a list without the tools, or a refused call, can mean under access rules. */
const GRANT_HINT = ' (with access rules, the smoke test\'s token lists and calls only what it is granted: grant its name every server in access.grants)';

/** `tools/list` at one MCP endpoint (at least one tool), and with the built-in tools there, a call of every tool and operation. */
async function checkEndpoint(mcpUrl: URL, { signal, headers, callBuiltinTools }: { signal: AbortSignal; headers: Record<string, string>; callBuiltinTools: boolean }): Promise<void> {
  const client = new Client({ name: 'mcp-bridge-smoke', version: '1.0.0' });
  try {
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { signal, headers } })).catch((error: Error) => {
      throw new SmokeFailure(`${mcpUrl.href}: initialize failed: ${error.message}`);
    });
    const { tools } = await client.listTools().catch((error: Error) => {
      throw new SmokeFailure(`${mcpUrl.href}: tools/list failed: ${error.message}`);
    });
    check(tools.length > 0, `${mcpUrl.href}: tools/list answered no tools${GRANT_HINT}`);
    if (!callBuiltinTools) return;
    for (const name of new Set(TOOL_CALLS.map((call) => call.name))) {
      check(tools.some((tool) => tool.name === name), `${mcpUrl.href}: tools/list lacks ${name}${GRANT_HINT}`);
    }
    for (const call of TOOL_CALLS) {
      const label = `${call.name}${call.arguments.operation ? ` ${call.arguments.operation}` : ''}`;
      const result = await client.callTool({ name: call.name, arguments: call.arguments }).catch((error: Error) => {
        throw new SmokeFailure(`${mcpUrl.href}: ${label} failed: ${error.message}${/insufficient.scope/i.test(error.message) ? GRANT_HINT : ''}`);
      });
      check(!result.isError && call.expect(result.structuredContent), `${mcpUrl.href}: ${label} returned ${JSON.stringify(result.structuredContent ?? result.content)}`);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
}

/** Checks one base URL; resolves with the platform that answered, throws {@link SmokeFailure}. */
export async function smokeCheck(baseUrl: string, options: SmokeOptions = {}): Promise<{ platform: string }> {
  const base = new URL(baseUrl);
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  const health = await fetch(new URL('/health', base), { signal }).catch((error: Error) => {
    throw new SmokeFailure(`${base.origin}/health: ${error.message}`);
  });
  check(health.status === 200, `${base.origin}/health: status ${health.status}`);
  const facts = (await health.json()) as { status?: string; platform?: string; contract?: { servers?: Record<string, string> } };
  check(facts.status === 'ok', `${base.origin}/health: status "${facts.status}"`);

  const endpoints = options.servers === undefined ? [{ path: '/mcp', builtin: true }] : options.servers.map(({ name, builtin }) => ({ path: `/servers/${name}/mcp`, builtin }));
  for (const { path, builtin } of endpoints) await checkEndpoint(new URL(path, base), { signal, headers, callBuiltinTools: builtin });
  if (options.contract !== undefined) await checkContract(base, options.contract, { facts, signal, ...(options.token === undefined ? {} : { token: options.token }), perServer: options.servers !== undefined });
  return { platform: facts.platform ?? 'unknown' };
}

/**
 * The contract served against the snapshots: `/health` names the contract of the revision that
 * answered, each server's lists are what a client sees (fewer, under access rules, than the token's
 * grants leave out).
 */
async function checkContract(base: URL, snapshots: readonly ContractSnapshot[], options: { facts: { contract?: { servers?: Record<string, string> } }; signal: AbortSignal; token?: string; perServer: boolean }): Promise<void> {
  const served = options.facts.contract?.servers ?? {};
  const wrong = snapshots.filter((snapshot) => served[snapshot.server] !== snapshot.fingerprint);
  check(
    wrong.length === 0,
    `${base.origin}/health: the revision that answered serves another contract than the snapshots: ${wrong.map((snapshot) => `${snapshot.server} ${served[snapshot.server] ?? '(none)'}, its snapshot ${snapshot.fingerprint}`).join('; ')}`,
  );
  const probed = await probeContracts(base.href, snapshots, { signal: options.signal, perServer: options.perServer, ...(options.token === undefined ? {} : { token: options.token }) }).catch((error: Error) => {
    throw new SmokeFailure(error.message);
  });
  const differing = probed.filter((probe) => probe.fingerprint !== probe.expected);
  check(differing.length === 0, `${base.origin}: tools/list is not the snapshot (its /health is): ${describeProbe(differing)}${GRANT_HINT}`);
}

/** The smoke test's steps: one per base URL, the failover name's first. */
export function smokeSteps(urls: readonly string[], options: SmokeOptions = {}): Step[] {
  return urls.map((url) => ({
    name: `smoke ${url}`,
    runs: `GET ${new URL('/health', url).href}, then initialize, tools/list and a call of every tool and operation at ${new URL('/mcp', url).href}${options.contract === undefined ? '' : `; each server's contract against its snapshot (${options.contract.map((snapshot) => snapshot.server).join(', ')})`}`,
    run: async () => `ok (answered by ${(await smokeCheck(url, options)).platform})`,
    onFailure: 'the line above names the URL and the first call that failed: read that backend\'s logs (npm run status -- <env> shows which cloud answers)',
  }));
}

export const USAGE = `usage: npm run smoke -- --url <base url> [--direct <backend url> ...] [--contract <environment>]

Checks /health, then initialize, tools/list and a call of every tool and operation, at --url (the
failover name) and at each --direct backend (a Cloud Run or API Gateway URL). In token auth mode,
MCP_SMOKE_TOKEN holds the bearer token. Exits 0 when every URL passed, 1 at the first failure.

  --url URL             the base URL to check (required)
  --direct URL          a further backend to check (repeatable)
  --contract ENV        also compare each server's lists and /health's fingerprints with
                        contracts/<ENV>/ (the environment's servers from MCP_ENVIRONMENTS_FILE)
  --help                this text`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseSmokeArgs(args: readonly string[]): { urls: string[]; contract?: string; help: boolean } {
  const { values } = parseCommandLine({
    args: [...args],
    options: { url: { type: 'string' }, direct: { type: 'string', multiple: true, default: [] }, contract: { type: 'string' }, help: { type: 'boolean', default: false } },
  });
  if (values.help) return { urls: [], help: true };
  if (values.url === undefined) throw new UsageError('--url is required (e.g. --url https://mcp.example.com)');
  const urls = [values.url, ...values.direct];
  for (const url of urls) {
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) throw new UsageError(`${url}: not an http(s) URL`);
  }
  return { urls, ...(values.contract === undefined ? {} : { contract: values.contract }), help: false };
}

/** The smoke test's servers of an environment: each configured one at its own path, and whether it is the built-in tools (`undefined`: none configured). */
export function smokeServersOf(env: Pick<EnvironmentConfig, 'servers'>): SmokeOptions['servers'] {
  return env.servers?.map(({ name, server }) => ({ name, builtin: 'builtin' in server }));
}

/** The smoke options of an environment's contract: its servers and its snapshots (every configured server must have one). */
export function contractSmokeOptions(environment: string, root: string = process.cwd()): Pick<SmokeOptions, 'servers' | 'contract'> {
  const env = loadEnvironment(environment, environmentsFilePath());
  return {
    ...(env.servers === undefined ? {} : { servers: smokeServersOf(env) }),
    contract: environmentSnapshots(env, root),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('smoke', USAGE, () => parseSmokeArgs(process.argv.slice(2)), async ({ urls, contract }) => {
    await runSteps(smokeSteps(urls, { ...(process.env.MCP_SMOKE_TOKEN ? { token: process.env.MCP_SMOKE_TOKEN } : {}), ...(contract === undefined ? {} : contractSmokeOptions(contract)) }));
  });
}
