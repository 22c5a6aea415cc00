// What the benchmarks send and how: the request shapes current and older clients send, and wrk
// (a C load generator) driving one of them against a server, with the CPU each side used.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';

/** Rate limits out of the way: the benchmarks send everything from one address. */
export const UNLIMITED = { MCP_RATE_LIMIT_PER_MINUTE: '1000000000', MCP_RATE_LIMIT_BURST: '1000000000' };

/** One request the benchmarks send: its headers and its JSON body. */
export interface RequestShape {
  readonly headers: Record<string, string>;
  readonly body: object;
}

const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcp', version: '0.1.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const CALL = { name: 'process_data', arguments: { operation: 'transform', data: { user_name: ' Ada ', home_address: { zip_code: '1000' }, tags: ['a', null] } } };
const LEGACY = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };
const MODERN = (method: string, name?: string) => ({ ...LEGACY, 'mcp-protocol-version': '2026-07-28', 'mcp-method': method, ...(name === undefined ? {} : { 'mcp-name': name }) });

/** The request shapes the report has a row for: what current and older clients send. */
export const SHAPES: Record<string, RequestShape> = {
  '2026-07-28 tools/list': { headers: MODERN('tools/list'), body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: ENVELOPE } } },
  '2026-07-28 tools/call process_data': { headers: MODERN('tools/call', 'process_data'), body: { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { ...CALL, _meta: ENVELOPE } } },
  '2026-07-28 server/discover': { headers: MODERN('server/discover'), body: { jsonrpc: '2.0', id: 0, method: 'server/discover', params: { _meta: ENVELOPE } } },
  '2025-11-25 tools/list, no params': { headers: LEGACY, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } },
  '2025-11-25 tools/list, params {}': { headers: LEGACY, body: { jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} } },
  '2025-11-25 tools/call': { headers: LEGACY, body: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: CALL } },
  '2025-11-25 tools/call, progress token': { headers: LEGACY, body: { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { ...CALL, _meta: { progressToken: 'p1' } } } },
  '2025-11-25 ping': { headers: LEGACY, body: { jsonrpc: '2.0', id: 4, method: 'ping' } },
};

/** A process's /proc stat fields after its name (field 3, the state, first). */
function procStat(pid: number): string[] {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
}

/** CPU seconds a process has used so far (user + system), from /proc. */
export function cpuSeconds(pid: number): number {
  const fields = procStat(pid);
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The pids of a process's live children, their children and so on. */
export function descendants(pid: number): number[] {
  let output = '';
  try {
    output = execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  } catch {
    return []; // pgrep exits 1 when there are none
  }
  return output
    .split('\n')
    .filter(Boolean)
    .flatMap((child) => [Number(child), ...descendants(Number(child))]);
}

/**
 * CPU seconds a process and everything it started have used so far: its own, that of the children it
 * has already reaped, and each live descendant's.
 */
export function treeCpuSeconds(pid: number): number {
  const fields = procStat(pid);
  const reaped = (Number(fields[13]) + Number(fields[14])) / 100;
  let live = 0;
  for (const child of descendants(pid)) {
    try {
      live += cpuSeconds(child);
    } catch {
      // It exited between the listing and the read.
    }
  }
  return cpuSeconds(pid) + reaped + live;
}

/** The median of some numbers (the mean of the middle two for an even count). */
export function median(numbers: number[]): number {
  const sorted = [...numbers].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Of one contender's runs (one per round), the one with the median req/s (the lower middle one for an even count), with every round's req/s. */
export function medianRun<T extends { readonly requestsPerSecond: number }>(runs: readonly T[]): T & { rounds: number[] } {
  const sorted = [...runs].sort((a, b) => a.requestsPerSecond - b.requestsPerSecond);
  return { ...sorted[Math.floor((sorted.length - 1) / 2)]!, rounds: runs.map((run) => Math.round(run.requestsPerSecond)) };
}

/** Runs a process, all its threads, on the CPUs listed (`taskset` syntax: `1`, `0-1`). */
export function pinTo(cpuList: string, pid: number): void {
  execFileSync('taskset', ['--all-tasks', '--pid', '--cpu-list', cpuList, String(pid)], { stdio: 'ignore' });
}

/** Pins a process and its live descendants; what it starts later inherits the pinning. */
export function pinTree(cpuList: string, pid: number): void {
  for (const each of [pid, ...descendants(pid)]) pinTo(cpuList, each);
}

/** Whether taskset can pin processes to CPUs 0 and 1 here. */
export function canPin(): boolean {
  if (cpus().length < 2) return false;
  try {
    execFileSync('taskset', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Options of {@link runWrk}. */
export interface WrkOptions {
  /** The URL to POST to. */
  readonly url: string;
  readonly shape: RequestShape;
  readonly seconds: number;
  /** Connections kept open (wrk's `-c`). */
  readonly connections: number;
  /** Where wrk's Lua script for the shape is written. */
  readonly scriptFile: string;
  /**
   * The server's pid, whose CPU use during the run (with that of the processes it started) is reported.
   * @default - not reported (0)
   */
  readonly serverPid?: number;
  /**
   * The CPU wrk runs on (`taskset` syntax).
   * @default - wherever the system puts it
   */
  readonly cpu?: string;
}

/**
 * wrk (one thread) against one URL for one shape: req/s, latency, failures, and how busy the server
 * was. A server near one full CPU while wrk has a CPU of its own is what shows the load generator is
 * not the bottleneck.
 */
export async function runWrk(options: WrkOptions) {
  writeFileSync(
    options.scriptFile,
    `wrk.method = "POST"\nwrk.body = ${JSON.stringify(JSON.stringify(options.shape.body))}\n${Object.entries(options.shape.headers).map(([k, v]) => `wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`).join('\n')}\n`,
  );
  const cpuBefore = options.serverPid === undefined ? 0 : treeCpuSeconds(options.serverPid);
  const started = performance.now();
  const child = spawn('wrk', ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', '-s', options.scriptFile, options.url], { stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) {
    const [error] = (await once(child, 'error')) as [NodeJS.ErrnoException];
    throw new Error(error.code === 'ENOENT' ? 'wrk is not installed: apt-get install wrk' : `wrk could not start: ${error.message}`);
  }
  const pid = child.pid;
  if (options.cpu !== undefined) pinTo(options.cpu, pid);
  // wrk's own CPU, sampled while it runs (its /proc entry goes when it exits): the load generator's load.
  let wrkCpu = 0;
  const sampler = setInterval(() => {
    try {
      wrkCpu = cpuSeconds(pid);
    } catch {
      // It has just exited: the last sample stands.
    }
  }, 100);
  let stdout = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  const [code] = await once(child, 'exit');
  clearInterval(sampler);
  const wall = (performance.now() - started) / 1000;
  if (code !== 0) throw new Error(`wrk exited ${code}`);
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1] ?? 0);
  const ms = (pattern: RegExp) => {
    const match = pattern.exec(stdout);
    return match === null ? 0 : Number(match[1]) * ({ us: 0.001, ms: 1, s: 1000 } as Record<string, number>)[match[2]!]!;
  };
  return {
    requestsPerSecond: number(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: ms(/50%\s+([\d.]+)(us|ms|s)/),
    p99Ms: ms(/99%\s+([\d.]+)(us|ms|s)/),
    failed: number(/Non-2xx or 3xx responses: (\d+)/) + number(/Socket errors: connect (\d+)/),
    // Over wrk's own run (it reports how long it sent for), not the wall time around it, which
    // includes starting wrk while the server waits.
    serverCpu: options.serverPid === undefined ? 0 : Math.round(((treeCpuSeconds(options.serverPid) - cpuBefore) / (number(/requests in ([\d.]+)s/) || wall)) * 100) / 100,
    /** wrk's CPU in cores (sampled every 100 ms, so a little low): well under 1 means it was not what limited the run. */
    loadGeneratorCpu: Math.round((wrkCpu / wall) * 100) / 100,
  };
}
