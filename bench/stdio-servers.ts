// Section 4 of the benchmarks: a stdio MCP server (`@modelcontextprotocol/server-memory`) behind an
// HTTP front, side by side in one run:
//   - this bridge (dist/node.mjs, the server named in MCP_SERVERS_FILE, one warm child);
//   - mcp-proxy (npm) in its stateless stream mode, one child for all requests;
//   - supergateway (npm) in its default, stateless Streamable HTTP mode, a fresh child per request;
//   - the floor: a bare client writing the same JSON-RPC line to the same server over stdio, as
//     many in flight as wrk has connections (bench/servers/stdio-floor.ts).
// Every front and its children run on CPU 0, wrk on CPU 1, when taskset is there: one CPU for a
// front and its server, as a one-vCPU Cloud Run instance has. The floor's client is the thinnest
// front there is, so it shares CPU 0 with its server the same way. Pinned to one CPU, a Node
// process takes seconds to reach its steady speed (its JIT threads share the CPU), so each
// contender is first loaded for WARM_UP_SECONDS. Rounds run the contenders in turn, the first
// rotating by round; each ratio is taken within a round and the report gives the median. Before
// any load, each front is asked once and must answer with a JSON-RPC result.
//   tsx bench/stdio-servers.ts [--duration 5 --connections 50 --rounds 3]   (run alone; npm run bench runs it too)
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startServerProcess } from '../scripts/server-process.js';
import { canPin, median, medianRun, pinTree, runWrk, UNLIMITED, type RequestShape } from './load.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const MEMORY_SERVER = fileURLToPath(new URL('../node_modules/@modelcontextprotocol/server-memory/dist/index.js', import.meta.url));
const HEADERS = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

/** The requests of the stdio rows: a tool call the server answers from its state, and its tool list. */
export const STDIO_SHAPES: Record<string, RequestShape> = {
  '2025-11-25 tools/call read_graph': { headers: HEADERS, body: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'read_graph', arguments: {} } } },
  '2025-11-25 tools/list': { headers: HEADERS, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } },
};

/** Seconds each contender is loaded before it is measured: the first round's, and 1 s before every later run. */
const WARM_UP_SECONDS = 15;

/** supergateway starts a child per request (about half a second each): more connections only queue children. */
const SUPERGATEWAY_CONNECTIONS = 4;

/** Options of {@link benchStdioServers}. */
export interface StdioBenchOptions {
  /** Seconds each contender is loaded per round and request. */
  readonly duration: number;
  /** wrk's connections, and the floor's requests in flight. */
  readonly connections: number;
  readonly rounds: number;
  /** Whether the fronts go on CPU 0 and the load generator on CPU 1 (see {@link canPin}). */
  readonly pinning: boolean;
}

/** One contender's run for one request. */
export interface StdioRun {
  readonly requestsPerSecond: number;
  readonly p99Ms: number;
  readonly failed: number;
  /** The front's CPU with its children's, in cores. */
  readonly frontCpu: number;
  /** The load generator's CPU, in cores. */
  readonly loadGeneratorCpu: number;
  /** wrk's connections (the floor: requests in flight). */
  readonly connections: number;
}

const CONTENDERS = ['bridge', 'mcp-proxy', 'supergateway', 'floor'] as const;
type Contender = (typeof CONTENDERS)[number];

/** What {@link benchStdioServers} measured: the median round per contender and request, and the ratios. */
export interface StdioBenchResult {
  readonly runs: Record<Contender, Record<string, StdioRun & { readonly rounds: number[] }>>;
  /** Per request: the bridge's req/s over each other contender's, median of the per-round ratios. */
  readonly ratios: Record<string, Record<'supergateway' | 'mcp-proxy' | 'floor', number>>;
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

/** An HTTP front running in its own process. */
interface Front {
  readonly url: string;
  readonly process: ChildProcess;
  readonly stop: () => Promise<void>;
}

/** Starts a command and waits until a POST of `probe` to `url` answers with a JSON-RPC result. */
async function startFront(command: string, args: string[], url: string, probe: RequestShape): Promise<Front> {
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr = (stderr + chunk).slice(-2000)));
  const exited = once(child, 'exit');
  const front = { url, process: child, stop: async () => void (child.kill('SIGTERM'), await exited) };
  await answers(url, probe, () => child.exitCode !== null, () => `${command} ${args.join(' ')} exited: ${stderr}`);
  return front;
}

/** Polls until `url` answers `probe` with a result (SSE or JSON alike); throws once `gone()` or after 30 s. */
async function answers(url: string, probe: RequestShape, gone: () => boolean, why: () => string): Promise<void> {
  const until = performance.now() + 30_000;
  let last = '';
  while (performance.now() < until) {
    if (gone()) throw new Error(why());
    try {
      const response = await fetch(url, { method: 'POST', headers: probe.headers, body: JSON.stringify(probe.body) });
      last = `${response.status} ${await response.text()}`;
      if (response.status === 200 && last.includes('"result"')) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} never answered ${JSON.stringify(probe.body)} with a result; last: ${last.slice(0, 500)}`);
}

/** `command args` on the CPUs listed when pinning (taskset execs it: the pid stays the command's). */
const onCpu = (pinning: boolean, cpu: string, command: string, args: string[]): [string, string[]] => (pinning ? ['taskset', ['--cpu-list', cpu, command, ...args]] : [command, args]);

/** The floor for one request: the bare stdio client and its server on CPU 0, in a process of its own. */
async function floorRun(shape: RequestShape, options: StdioBenchOptions, warmUpSeconds: number): Promise<StdioRun> {
  const { id: _id, ...request } = shape.body as Record<string, unknown>;
  const [command, args] = onCpu(options.pinning, '0', process.execPath, ['--import', 'tsx', 'bench/servers/stdio-floor.ts', String(options.duration), String(warmUpSeconds), String(options.connections), JSON.stringify(request), '--', process.execPath, MEMORY_SERVER]);
  const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(child, 'exit');
  if (code !== 0) throw new Error(`the stdio floor exited ${code}`);
  const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as { requestsPerSecond: number; failed: number; p99Ms: number; clientCpu: number; childCpu: number };
  const frontCpu = Math.round((result.clientCpu + result.childCpu) * 100) / 100;
  return { requestsPerSecond: result.requestsPerSecond, p99Ms: result.p99Ms, failed: result.failed, frontCpu, loadGeneratorCpu: result.clientCpu, connections: options.connections };
}

/** Starts the three HTTP fronts of the memory server, each with its children on CPU 0 when pinning. */
async function startFronts(options: StdioBenchOptions, scratch: string): Promise<Record<Exclude<Contender, 'floor'>, Front>> {
  const probe = STDIO_SHAPES['2025-11-25 tools/call read_graph']!;
  const memoryFile = (name: string) => join(scratch, `${name}-memory.jsonl`);
  const serversFile = join(scratch, 'servers.json');
  writeFileSync(serversFile, JSON.stringify({ servers: { memory: { stdio: { command: process.execPath, args: [MEMORY_SERVER], env: { MEMORY_FILE_PATH: memoryFile('bridge') } } } } }));
  const bridgeProcess = await startServerProcess(['dist/node.mjs'], { cwd: root, env: { ...UNLIMITED, MCP_SERVERS_FILE: serversFile } });
  const bridge: Front = { url: `${bridgeProcess.url}/mcp`, process: bridgeProcess.process, stop: async () => void (bridgeProcess.process.kill('SIGTERM'), await bridgeProcess.exited) };
  await answers(bridge.url, probe, () => bridgeProcess.process.exitCode !== null, () => 'the bridge exited');
  const proxyPort = await freePort();
  const mcpProxy = await startFront('env', [`MEMORY_FILE_PATH=${memoryFile('mcp-proxy')}`, 'node_modules/.bin/mcp-proxy', '--port', String(proxyPort), '--host', '127.0.0.1', '--stateless', '--server', 'stream', '--', process.execPath, MEMORY_SERVER], `http://127.0.0.1:${proxyPort}/mcp`, probe);
  const gatewayPort = await freePort();
  const supergateway = await startFront('env', [`MEMORY_FILE_PATH=${memoryFile('supergateway')}`, process.execPath, 'node_modules/supergateway/dist/index.js', '--stdio', `${process.execPath} ${MEMORY_SERVER}`, '--outputTransport', 'streamableHttp', '--port', String(gatewayPort), '--logLevel', 'none'], `http://127.0.0.1:${gatewayPort}/mcp`, probe);
  const fronts = { bridge, 'mcp-proxy': mcpProxy, supergateway };
  if (options.pinning) for (const front of Object.values(fronts)) pinTree('0', front.process.pid!);
  return fronts;
}

/** Seconds one CPU has been busy (anything but idle and waiting for I/O), from /proc/stat. */
function cpuBusySeconds(cpu: string): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n').find((each) => each.startsWith(`cpu${cpu} `))!;
  const [user, nice, system, _idle, _iowait, irq, softirq] = line.split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq!) / 100;
}

/** Runs the stdio rows; logs each run as it ends. */
export async function benchStdioServers(options: StdioBenchOptions): Promise<StdioBenchResult> {
  const scratch = mkdtempSync(join(tmpdir(), 'bench-stdio-'));
  const fronts = await startFronts(options, scratch).catch((error: unknown) => {
    rmSync(scratch, { recursive: true, force: true });
    throw error;
  });
  const perRound = {} as Record<Contender, Record<string, StdioRun[]>>;
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      for (const [label, shape] of Object.entries(STDIO_SHAPES)) {
        // The first contender rotates by round, so a slow spell of the machine does not always hit the same one.
        const order = CONTENDERS.map((_, index) => CONTENDERS[(index + round) % CONTENDERS.length]!);
        for (const contender of order) {
          const warmUpSeconds = round === 0 ? WARM_UP_SECONDS : 1;
          let run: StdioRun;
          if (contender === 'floor') run = await floorRun(shape, options, warmUpSeconds);
          else {
            const front = fronts[contender];
            const connections = contender === 'supergateway' ? SUPERGATEWAY_CONNECTIONS : options.connections;
            const wrk = (seconds: number) => runWrk({ url: front.url, shape, seconds, connections, scriptFile: join(scratch, 'request.lua'), serverPid: front.process.pid!, ...(options.pinning ? { cpu: '1' } : {}) });
            await wrk(contender === 'supergateway' ? 1 : warmUpSeconds); // a child per request: nothing warms up
            const cpu0Before = cpuBusySeconds('0');
            const startedAt = performance.now();
            const measured = await wrk(options.duration);
            // Pinned, CPU 0 holds the front and every child it started, even those that lived one request
            // (which a process tree can miss): its busy time is theirs.
            const frontCpu = options.pinning ? Math.round(((cpuBusySeconds('0') - cpu0Before) / ((performance.now() - startedAt) / 1000)) * 100) / 100 : measured.serverCpu;
            run = { requestsPerSecond: measured.requestsPerSecond, p99Ms: measured.p99Ms, failed: measured.failed, frontCpu, loadGeneratorCpu: measured.loadGeneratorCpu, connections };
          }
          ((perRound[contender] ??= {})[label] ??= []).push(run);
          console.log(`stdio round ${round + 1}`, contender, label, run);
        }
      }
    }
  } finally {
    for (const front of Object.values(fronts)) await front.stop();
    rmSync(scratch, { recursive: true, force: true });
  }
  const runs = Object.fromEntries(
    CONTENDERS.map((contender) => [
      contender,
      Object.fromEntries(Object.entries(perRound[contender]).map(([label, list]) => [label, medianRun(list)])),
    ]),
  ) as StdioBenchResult['runs'];
  const ratio = (label: string, other: Contender) => Math.round(median(perRound.bridge[label]!.map((run, round) => run.requestsPerSecond / perRound[other][label]![round]!.requestsPerSecond)) * 100) / 100;
  const ratios = Object.fromEntries(Object.keys(STDIO_SHAPES).map((label) => [label, { supergateway: ratio(label, 'supergateway'), 'mcp-proxy': ratio(label, 'mcp-proxy'), floor: ratio(label, 'floor') }]));
  return { runs, ratios };
}

/** The report's section for {@link benchStdioServers}'s result. */
export function stdioServersMarkdown(result: StdioBenchResult, options: StdioBenchOptions): string {
  const rows = Object.keys(STDIO_SHAPES).flatMap((label) =>
    CONTENDERS.map((contender) => {
      const run = result.runs[contender][label]!;
      return `| ${label} | ${contender} | ${run.connections} | ${run.requestsPerSecond < 10 ? run.requestsPerSecond.toFixed(1) : Math.round(run.requestsPerSecond)} | ${run.p99Ms.toFixed(2)} | ${run.frontCpu} | ${run.loadGeneratorCpu} | ${run.failed} |`;
    }),
  );
  const ratioRows = Object.entries(result.ratios).map(([label, ratio]) => `| ${label} | ${ratio.supergateway} | ${ratio['mcp-proxy']} | ${ratio.floor} |`);
  return `## A stdio server behind a front (\`@modelcontextprotocol/server-memory\`)

Each front serves the same stdio server over Streamable HTTP: this bridge (one warm child, named in
\`MCP_SERVERS_FILE\`), mcp-proxy in its stateless stream mode (one child), supergateway in its
default stateless mode (a child per request, so ${SUPERGATEWAY_CONNECTIONS} connections). The floor is a bare client writing
the same JSON-RPC line to the same server over stdio, ${options.connections} in flight: what any front of it can at
best approach. ${options.rounds} rounds of ${options.duration} s per contender, taking turns, after ${WARM_UP_SECONDS} s of warm-up each${
    options.pinning ? "; every front and its server on CPU 0 (one CPU, as a one-vCPU Cloud Run instance has; the floor's client with its server), wrk on CPU 1" : ''
  }.
*front CPU* is the front's with its children's${options.pinning ? " (CPU 0's busy time, so a child that lives one request counts too)" : ''} (the floor: its client's and server's); *load
generator CPU* is wrk's, well under one core, so it is not what limits a row (the floor's client is
its own load generator: its share of *front CPU*).

| request | front | connections | req/s | p99 ms | front CPU | load generator CPU | failed |
|---|---|---|---|---|---|---|---|
${rows.join('\n')}

The bridge's req/s over the others' (median of the ratios within each round). Targets: ≥ 100 × supergateway, ≥ 0.5 × the floor.

| request | bridge / supergateway | bridge / mcp-proxy | bridge / floor |
|---|---|---|---|
${ratioRows.join('\n')}
`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' } } });
  const options = { duration: Number(values.duration), connections: Number(values.connections), rounds: Number(values.rounds), pinning: canPin() };
  for (const [flag, value] of Object.entries(options)) {
    if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) {
      console.error(`bench/stdio-servers: --${flag} must be a whole number above 0, not ${JSON.stringify(values[flag as keyof typeof values])}`);
      process.exit(2);
    }
  }
  const result = await benchStdioServers(options);
  const out = fileURLToPath(new URL('./report/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'stdio-servers.json'), `${JSON.stringify({ date: new Date().toISOString(), settings: options, ...result }, null, 2)}\n`);
  console.log(stdioServersMarkdown(result, options));
}
