// The benchmarks (not tests), all in one run on this machine, written to bench/report/:
//   1. synth: wall time and peak RSS of synthesizing every stack of the example config
//   2. bridge throughput for every request shape current and older clients send (wrk, one
//      thread, concurrency 50), against this bridge and the floor (a bare node:http server
//      sending the bridge's own bytes), in interleaved rounds, the two servers taking turns in
//      1 s slices within a round (--duration: seconds each per round); with taskset, the servers run on
//      CPU 0 and wrk on CPU 1; each server's CPU use is reported
//   3. Lambda cold start for a 2025-11-25 and a 2026-07-28 first request: bundle sizes and the
//      median import-to-first-response over fresh processes, for this bridge's bundle and the
//      SDK baseline bundled the same way, and any unstructured line either prints
//   4. a stdio server (server-memory) behind this bridge, mcp-proxy and supergateway, and the
//      floor of a bare stdio client (bench/stdio-servers.ts, which also runs alone)
//   5. a Lambda fronting a stdio server: cold start and a warm call, this bridge (npm and Python
//      servers) beside awslabs' wrapper (bench/servers-cold-start.ts, which also runs alone)
//   6. the cost of access rules on the built-in tools/call, beside the same bridge without rules
//      and a control (bench/authorization.ts, which also runs alone)
//   npm run bench [-- --duration 10 --connections 50 --rounds 3 --cold-runs 20 --synth-runs 3]
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
import { authorizationMarkdown, benchAuthorization } from './authorization.js';
import { canPin, median, medianRun, pinTo, runWrk, SHAPES, UNLIMITED, type RequestShape } from './load.js';
import { startServerProcess } from '../scripts/server-process.js';
import { benchServersColdStart, serversColdStartMarkdown } from './servers-cold-start.js';
import { benchStdioServers, stdioServersMarkdown } from './stdio-servers.js';

const { values } = parseArgs({
  options: {
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    'cold-runs': { type: 'string', default: '20' },
    'synth-runs': { type: 'string', default: '3' },
  },
});
/** A flag's value as a whole number above 0; any other value ends the run, naming the flag. */
function count(flag: keyof typeof values): number {
  const value = Number(values[flag]);
  if (Number.isInteger(value) && value > 0) return value;
  console.error(`bench: --${flag} must be a whole number above 0, not ${JSON.stringify(values[flag])}`);
  process.exit(2);
}
const duration = count('duration');
const connections = count('connections');
const rounds = count('rounds');
const coldRuns = count('cold-runs');
const synthRuns = count('synth-runs');
const root = fileURLToPath(new URL('..', import.meta.url));
const out = (path: string) => fileURLToPath(new URL(`./report/${path}`, import.meta.url));

const sum = (numbers: number[]) => numbers.reduce((total, number) => total + number, 0);
const mean = (numbers: number[]) => sum(numbers) / numbers.length;

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
  return { seconds: (performance.now() - started) / 1000, peakMiB: kib / 1024, stdout, stderr };
}

/** wrk against one server for one shape, wrk on CPU 1 when the servers are pinned to CPU 0. */
const load = (url: string, shape: RequestShape, seconds: number, serverPid: number) =>
  runWrk({ url, shape, seconds, connections, scriptFile: out('.build/request.lua'), serverPid, ...(pinning ? { cpu: '1' } : {}) });

// 1. Synth
await buildBundles();
const synth = [];
// What cdktf runs (cdktf.json's app): the bundled main.ts.
for (let run = 0; run < synthRuns; run += 1) synth.push(await measure(['scripts/synth.mjs']));
const synthResult = { wallSeconds: median(synth.map((run) => run.seconds)), peakRssMiB: Math.max(...synth.map((run) => run.peakMiB)) };
console.log('synth', synthResult);

// 2. Throughput. The servers share CPU 0 (one runs at a time) and wrk has CPU 1, so neither
// slows the other. Rounds interleave the servers so a slow spell of the machine hits both
// alike: each ratio is taken within a round (which server goes first alternates), and the
// report gives the median round. The floor answers each shape with the bridge's own bytes,
// recorded first.
mkdirSync(out('.build'), { recursive: true });
const pinning = canPin();
const bridge = await startServerProcess(['dist/node.mjs'], { cwd: root, env: UNLIMITED });
const recorded: Record<string, string> = {};
for (const shape of Object.values(SHAPES)) {
  const response = await fetch(`${bridge.url}/mcp`, { method: 'POST', headers: { ...shape.headers, host: 'localhost' }, body: JSON.stringify(shape.body) });
  if (response.status !== 200) throw new Error(`the bridge answered ${response.status} to ${JSON.stringify(shape.body)}`);
  recorded[JSON.stringify(shape.body)] = await response.text();
}
writeFileSync(out('.build/floor-responses.json'), JSON.stringify(recorded));
const floor = await startServerProcess(['--import', 'tsx', 'bench/servers/floor.ts'], { cwd: root, env: { BENCH_FLOOR_RESPONSES: out('.build/floor-responses.json') } });
const running = { bridge, floor } as const;
type ServerName = keyof typeof running;
for (const server of Object.values(running)) if (pinning) pinTo('0', server.process.pid!);
type Run = Awaited<ReturnType<typeof load>>;
/** Slices of one server in one round as one run: mean req/s and CPU, median latencies, all failures. */
const combine = (slices: Run[]): Run => ({
  requestsPerSecond: mean(slices.map((slice) => slice.requestsPerSecond)),
  p50Ms: median(slices.map((slice) => slice.p50Ms)),
  p99Ms: median(slices.map((slice) => slice.p99Ms)),
  failed: sum(slices.map((slice) => slice.failed)),
  serverCpu: Math.round(mean(slices.map((slice) => slice.serverCpu)) * 100) / 100,
  loadGeneratorCpu: Math.round(mean(slices.map((slice) => slice.loadGeneratorCpu)) * 100) / 100,
});
const runs: Record<string, Record<string, Run[]>> = {};
for (let round = 0; round < rounds; round += 1) {
  for (const [label, shape] of Object.entries(SHAPES)) {
    // Which server goes first alternates by round; within a round the servers take turns in 1 s
    // slices, in the order A B B A A B ... This machine's slow spells last seconds, so they fall on
    // both servers of a round alike rather than on whichever ran during them.
    const order = Object.keys(running) as ServerName[];
    if (round % 2 === 1) order.reverse();
    const slices: Record<string, Run[]> = {};
    for (const name of order) await load(`${running[name].url}/mcp`, shape, 1, running[name].process.pid!); // warm-up
    for (let slice = 0; slice < duration * 2; slice += 1) {
      const name = order[(slice + 1) % 4 < 2 ? 0 : 1]!;
      (slices[name] ??= []).push(await load(`${running[name].url}/mcp`, shape, 1, running[name].process.pid!));
    }
    for (const name of order) {
      const run = combine(slices[name]!);
      ((runs[name] ??= {})[label] ??= []).push(run);
      console.log(`round ${round + 1}`, name, label, run);
    }
  }
}
for (const server of Object.values(running)) {
  server.process.kill('SIGTERM');
  await server.exited;
}
/** The run with the median req/s (the lower middle one for an even count), for each server and request. */
const throughput = Object.fromEntries(
  Object.entries(runs).map(([name, byLabel]) => [
    name,
    Object.fromEntries(
      Object.entries(byLabel).map(([label, list]) => [label, medianRun(list)]),
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

const bytesOf = (files: Iterable<string>) => {
  const contents = [...files].map((file) => readFileSync(file));
  return { bytes: sum(contents.map((c) => c.length)), gzipBytes: sum(contents.map((c) => gzipSync(c).length)) };
};

const coldStart: Record<string, { bytes: number; gzipBytes: number; totalBytes: number; medianMs: Record<string, number>; unstructuredOutput: string[] }> = {};
for (const [name, path] of Object.entries(bundles)) {
  const medianMs: Record<string, number> = {};
  const unstructured = new Set<string>();
  for (const revision of ['2025-11-25', '2026-07-28']) {
    const times = [];
    // Alternate the two revisions' runs, so a slow spell of the machine hits both alike.
    for (let run = 0; run < coldRuns; run += 1) {
      const { stdout, stderr } = await measure([fileURLToPath(new URL('./cold-start.mjs', import.meta.url)), path, revision]);
      const lines = stdout.trim().split('\n');
      times.push(Number(lines.at(-1)));
      // Everything but the measurement and the RSS marker: a log line must be JSON.
      for (const line of [...lines.slice(0, -1), ...stderr.split('\n')]) if (line.trim() && !line.startsWith('BENCH_MAX_RSS_KIB') && !line.startsWith('{')) unstructured.add(line.slice(0, 120));
    }
    medianMs[revision] = median(times);
  }
  const cold = bytesOf(coldPathFiles(path));
  coldStart[name] = { ...cold, totalBytes: bytesOf(allFiles(dirname(path))).bytes, medianMs, unstructuredOutput: [...unstructured] };
  console.log('cold start', name, coldStart[name]);
}

// 4. A stdio server behind a front
const stdioOptions = { duration, connections, rounds, pinning };
const stdioServers = await benchStdioServers(stdioOptions);

// 5. A Lambda fronting a stdio server: cold start, beside awslabs' wrapper
const serversColdStart = await benchServersColdStart(Math.max(5, Math.round(coldRuns / 2)));

// 6. The cost of access rules
const authorizationOptions = { duration: Math.max(3, Math.round(duration / 2)), connections, rounds: Math.max(rounds, 6), pinning };
const authorization = await benchAuthorization(authorizationOptions);

// Report
/** The median over rounds of the bridge's req/s over the floor's in the same round, to two decimals. */
const ratios = Object.fromEntries(
  Object.keys(SHAPES).map((label) => {
    const perRound = runs.bridge![label]!.map((run, round) => run.requestsPerSecond / runs.floor![label]![round]!.requestsPerSecond);
    return [label, Math.round(median(perRound) * 100) / 100];
  }),
);
const report = {
  date: new Date().toISOString(),
  machine: { node: process.version, cpus: cpus().length },
  settings: { loadGenerator: 'wrk, 1 thread', duration, connections, rounds, coldRuns, synthRuns, pinnedCpus: pinning },
  synth: synthResult,
  throughput,
  ratios,
  coldStart,
  stdioServers,
  serversColdStart,
  authorization,
};
mkdirSync(out(''), { recursive: true });
writeFileSync(out('latest.json'), `${JSON.stringify(report, null, 2)}\n`);

const markdown = `# Benchmarks

${report.date}, Node ${process.version}, ${report.machine.cpus} cores; wrk (1 thread) with ${connections} connections, ${rounds} interleaved rounds of ${duration} s per server (1 s slices, taking turns A B B A)${pinning ? '; servers on CPU 0, wrk on CPU 1 (taskset)' : ''}.

## Synth (every stack of the example config)

| wall (median of ${synthRuns}) | peak RSS |
|---|---|
| ${synthResult.wallSeconds.toFixed(2)} s | ${Math.round(synthResult.peakRssMiB)} MiB |

## Bridge throughput, by request shape

The floor is a bare \`node:http\` server sending the bridge's own response bytes for the same
request. In each round the two servers take turns in 1 s slices (A B B A A B ...), so a slow spell
of the machine falls on both; a round's req/s is the mean of its slices. Each cell is the median
round (every round's req/s in the JSON report); the ratio is the median of the ratios taken within
each round. *server CPU* is the CPU the server used during its
run, in cores: the floor near 1.0 means the server, not wrk, is what limits it.

| request | bridge req/s | floor req/s | bridge / floor | bridge p99 ms | floor p99 ms | bridge CPU | floor CPU | failed |
|---|---|---|---|---|---|---|---|---|
${Object.keys(SHAPES)
  .map((label) => {
    const b = throughput.bridge[label]!;
    const f = throughput.floor[label]!;
    return `| ${label} | ${Math.round(b.requestsPerSecond)} | ${Math.round(f.requestsPerSecond)} | ${ratios[label]} | ${b.p99Ms.toFixed(2)} | ${f.p99Ms.toFixed(2)} | ${b.serverCpu} | ${f.serverCpu} | ${b.failed + f.failed} |`;
  })
  .join('\n')}

## Lambda cold start (import to first tools/list response, median of ${coldRuns} fresh processes per revision)

| bundle | cold path, minified | cold path, gzip | all chunks, minified | 2025-11-25 | 2026-07-28 | unstructured output |
|---|---|---|---|---|---|---|
${Object.entries(coldStart)
  .map(([name, c]) => `| ${name} | ${Math.round(c.bytes / 1024)} KB | ${Math.round(c.gzipBytes / 1024)} KB | ${Math.round(c.totalBytes / 1024)} KB | ${c.medianMs['2025-11-25']!.toFixed(1)} ms | ${c.medianMs['2026-07-28']!.toFixed(1)} ms | ${c.unstructuredOutput.length === 0 ? 'none' : c.unstructuredOutput.join('; ')} |`)
  .join('\n')}

The cold path is the entry file and the chunks it imports statically: what a cold start reads.
The bridge loads the rest (the MCP SDK, ajv, jose) on the first request that needs it.

${stdioServersMarkdown(stdioServers, stdioOptions)}
${serversColdStartMarkdown(serversColdStart)}
${authorizationMarkdown(authorization, authorizationOptions)}`;
writeFileSync(out('latest.md'), markdown);
console.log(markdown);
