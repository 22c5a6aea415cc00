// The benchmarks (not tests), all in one run on this machine, written to bench/report/:
//   1. synth: wall time and peak RSS of synthesizing every stack of both environments
//   2. bridge throughput (autocannon, concurrency 50, 10 s each) for tools/list and
//      tools/call process_data against this bridge, the floor, and the SDK baseline, in
//      interleaved rounds; with taskset, the servers run on CPU 0 and the load generator on CPU 1
//   3. Lambda cold start: bundle sizes and the median import-to-first-response over
//      20 fresh processes, for this bridge's bundle and the SDK baseline bundled the same way
//   npm run bench [-- --duration 10 --connections 50 --rounds 3 --cold-runs 20 --synth-runs 3]
import autocannon from 'autocannon';
import { build } from 'esbuild';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { buildBundles, LAMBDA_BUILD_OPTIONS } from '../scripts/build.js';
import { startServerProcess } from '../scripts/server-process.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    'cold-runs': { type: 'string', default: '20' },
    'synth-runs': { type: 'string', default: '3' },
  },
});
const duration = Number(values.duration);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const coldRuns = Number(values['cold-runs']);
const synthRuns = Number(values['synth-runs']);
const root = fileURLToPath(new URL('..', import.meta.url));
const out = (path: string) => fileURLToPath(new URL(`./report/${path}`, import.meta.url));

const median = (numbers: number[]) => {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** Runs a command to completion; resolves with its wall time, peak RSS (MiB) and output. */
async function measure(args: string[], env: Record<string, string> = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, ['--import', fileURLToPath(new URL('./max-rss.mjs', import.meta.url)), ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  const kib = Number(/BENCH_MAX_RSS_KIB (\d+)/.exec(stderr)?.[1] ?? 0);
  return { seconds: (performance.now() - started) / 1000, peakMiB: kib / 1024, stdout };
}

/** Rate limits out of the way: the benchmark sends everything from one address. */
const UNLIMITED = { MCP_RATE_LIMIT_PER_MINUTE: '1000000000', MCP_RATE_LIMIT_BURST: '1000000000' };

const REQUESTS = {
  'tools/list': { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  'tools/call process_data': {
    jsonrpc: '2.0',
    id: 2,
    method: 'tools/call',
    params: { name: 'process_data', arguments: { operation: 'transform', data: { user_name: ' Ada ', home_address: { zip_code: '1000' }, tags: ['a', null] } } },
  },
} as const;
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

async function load(url: string, body: unknown) {
  const result = await autocannon({ url, method: 'POST', headers: HEADERS, body: JSON.stringify(body), connections, duration });
  const failed = result.non2xx + result.errors + result.timeouts;
  return { requestsPerSecond: result.requests.average, p50Ms: result.latency.p50, p99Ms: result.latency.p99, failed };
}

// 1. Synth
await buildBundles();
const synth = [];
// What cdktf runs (cdktf.json's app): the bundled main.ts.
for (let run = 0; run < synthRuns; run += 1) synth.push(await measure(['scripts/synth.mjs']));
const synthResult = { wallSeconds: median(synth.map((run) => run.seconds)), peakRssMiB: Math.max(...synth.map((run) => run.peakMiB)) };
console.log('synth', synthResult);

// 2. Throughput. The servers share CPU 0 (one runs at a time) and this process, the load
// generator, has CPU 1, so neither slows the other; without taskset they share both cores.
// Rounds interleave the servers so a slow spell of the machine hits all of them alike: each
// ratio is taken within a round, and the report gives the median round.
const pinning = canPin();
if (pinning) pinTo('1', process.pid);
const servers = {
  bridge: ['dist/node.mjs'],
  floor: ['--import', 'tsx', 'bench/servers/floor.ts'],
  sdkBaseline: ['--import', 'tsx', 'bench/servers/sdk-baseline-node.ts'],
} as const;
type ServerName = keyof typeof servers;
const running = Object.fromEntries(
  await Promise.all(
    Object.entries(servers).map(async ([name, args]) => {
      const server = await startServerProcess(args, { cwd: root, env: UNLIMITED });
      if (pinning) pinTo('0', server.process.pid!);
      return [name, server] as const;
    }),
  ),
) as Record<ServerName, Awaited<ReturnType<typeof startServerProcess>>>;
type Run = Awaited<ReturnType<typeof load>>;
const runs: Record<string, Record<string, Run[]>> = {};
for (let round = 0; round < rounds; round += 1) {
  for (const [label, body] of Object.entries(REQUESTS)) {
    for (const name of Object.keys(servers) as ServerName[]) {
      const url = `${running[name].url}/mcp`;
      await autocannon({ url, method: 'POST', headers: HEADERS, body: JSON.stringify(body), connections, duration: 1 }); // warm-up
      const run = await load(url, body);
      ((runs[name] ??= {})[label] ??= []).push(run);
      console.log(`round ${round + 1}`, name, label, run);
    }
  }
}
for (const server of Object.values(running)) {
  server.process.kill('SIGTERM');
  await server.exited;
}
if (pinning) pinTo(`0-${cpus().length - 1}`, process.pid);
/** The run with the median req/s (the lower middle one for an even count), for each server and request. */
const throughput = Object.fromEntries(
  Object.entries(runs).map(([name, byLabel]) => [
    name,
    Object.fromEntries(
      Object.entries(byLabel).map(([label, list]) => {
        const sorted = [...list].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
        return [label, { ...sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: list.map((run) => Math.round(run.requestsPerSecond)) }];
      }),
    ),
  ]),
) as Record<ServerName, Record<string, Run & { rounds: number[] }>>;

// 3. Lambda cold start
mkdirSync(out('.build'), { recursive: true });
await build({ ...LAMBDA_BUILD_OPTIONS, absWorkingDir: root, entryPoints: [{ in: 'bench/servers/sdk-baseline.ts', out: 'index' }], outdir: out('.build/sdk-baseline') });
const bundles = { bridge: `${root}dist/lambda/index.mjs`, sdkBaseline: out('.build/sdk-baseline/index.mjs') };
/** The files a cold start reads: the entry and, transitively, its static imports (not `import()`). */
function coldPathFiles(entry: string, seen = new Set<string>()): Set<string> {
  seen.add(entry);
  for (const [, relative] of readFileSync(entry, 'utf8').matchAll(/(?:from|import)\s*"(\.{1,2}\/[^"]+)"/g)) {
    const file = resolvePath(dirname(entry), relative!);
    if (!seen.has(file)) coldPathFiles(file, seen);
  }
  return seen;
}

/** Every .mjs file of a bundle folder (the whole deployment, lazy chunks included). */
function allFiles(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.mjs')).map((file) => join(folder, file));
}

/** Runs a process, all its threads, on the CPUs listed (`taskset` syntax: `1`, `0-1`). */
function pinTo(cpuList: string, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpuList, String(pid)], { stdio: 'ignore' });
}

/** Whether taskset can pin processes to CPUs 0 and 1 here. */
function canPin(): boolean {
  if (cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const bytesOf = (files: Iterable<string>) => {
  const contents = [...files].map((file) => readFileSync(file));
  return { bytes: contents.reduce((sum, c) => sum + c.length, 0), gzipBytes: contents.reduce((sum, c) => sum + gzipSync(c).length, 0) };
};

const coldStart: Record<string, { bytes: number; gzipBytes: number; totalBytes: number; medianMs: number }> = {};
for (const [name, path] of Object.entries(bundles)) {
  const times = [];
  for (let run = 0; run < coldRuns; run += 1) {
    // The bundle may log to stdout; the measurement is the last line.
    const { stdout } = await measure([fileURLToPath(new URL('./cold-start.mjs', import.meta.url)), path]);
    times.push(Number(stdout.trim().split('\n').at(-1)));
  }
  const cold = bytesOf(coldPathFiles(path));
  coldStart[name] = { ...cold, totalBytes: bytesOf(allFiles(dirname(path))).bytes, medianMs: median(times) };
  console.log('cold start', name, coldStart[name]);
}

// Report
/** The median over rounds of the bridge's req/s over another server's in the same round, to two decimals. */
const roundRatio = (label: string, over: ServerName) => {
  const ratios = runs.bridge![label]!.map((run, round) => run.requestsPerSecond / runs[over]![label]![round]!.requestsPerSecond);
  return Math.round(median(ratios) * 100) / 100;
};
const ratios = Object.fromEntries(
  Object.keys(REQUESTS).map((label) => [label, { bridgeOverFloor: roundRatio(label, 'floor'), bridgeOverSdkBaseline: roundRatio(label, 'sdkBaseline') }]),
);
const report = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length },
  settings: { duration, connections, rounds, coldRuns, synthRuns, pinnedCpus: pinning },
  synth: synthResult,
  throughput,
  ratios,
  coldStart,
};
mkdirSync(out(''), { recursive: true });
writeFileSync(out('latest.json'), `${JSON.stringify(report, null, 2)}\n`);

const row = (name: ServerName, label: string) => {
  const r = throughput[name][label]!;
  return `| ${label} | ${name} | ${Math.round(r.requestsPerSecond)} | ${r.rounds.join(', ')} | ${r.p50Ms} | ${r.p99Ms} | ${r.failed} |`;
};
const markdown = `# Benchmarks

${report.date}, Node ${process.version}, ${report.machine.cpus} cores; autocannon ${connections} connections, ${duration} s per run, ${rounds} rounds${pinning ? '; servers on CPU 0, load generator on CPU 1 (taskset)' : ''}.

## Synth (all stacks of both environments)

| wall (median of ${synthRuns}) | peak RSS |
|---|---|
| ${synthResult.wallSeconds.toFixed(2)} s | ${Math.round(synthResult.peakRssMiB)} MiB |

## Bridge throughput

Each server's median round (req/s of every round alongside); the ratios are the median of the ratios within each round.

| request | server | req/s | rounds | p50 ms | p99 ms | failed |
|---|---|---|---|---|---|---|
${Object.keys(REQUESTS).flatMap((label) => (['bridge', 'floor', 'sdkBaseline'] as const).map((name) => row(name, label))).join('\n')}

| request | bridge / floor | bridge / SDK baseline |
|---|---|---|
${Object.entries(ratios).map(([label, r]) => `| ${label} | ${r.bridgeOverFloor} | ${r.bridgeOverSdkBaseline} |`).join('\n')}

## Lambda cold start (import to first tools/list response, median of ${coldRuns} fresh processes)

| bundle | cold path, minified | cold path, gzip | all chunks, minified | median |
|---|---|---|---|---|
${Object.entries(coldStart).map(([name, c]) => `| ${name} | ${Math.round(c.bytes / 1024)} KB | ${Math.round(c.gzipBytes / 1024)} KB | ${Math.round(c.totalBytes / 1024)} KB | ${c.medianMs.toFixed(1)} ms |`).join('\n')}

The cold path is the entry file and the chunks it imports statically: what a cold start reads.
The bridge loads the rest (the MCP SDK, ajv, jose) on the first request that needs it.
`;
writeFileSync(out('latest.md'), markdown);
console.log(markdown);
