// The cost of access rules on the built-in tools/call: bridges side by side, all in token mode (the
// same tokens, all auditing every call), one with MCP_ACCESS (a default of deny and grants for
// several teams, the caller's among them), one without, and a second one without: the control, whose
// ratio to the first shows how far two identical bridges differ on this machine. Every round starts
// fresh processes (in a rotating order: a process's own luck, its heap and its JIT, is not any
// contender's for long), and wrk drives each in 1 s slices taking turns (A B C C B A ...), so a slow
// spell of the machine falls on all; the ratios are the medians of the rounds' ratios. Target: the
// row with rules within 5% of the row without.
//   npx tsx bench/authorization.ts [--duration 5 --connections 50 --rounds 3]   (also section 6 of npm run bench)
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startServerProcess } from '../scripts/server-process.js';
import { canPin, median, medianRun, pinTo, runWrk, SHAPES, UNLIMITED } from './load.js';

/** Options of {@link benchAuthorization}. */
export interface AuthorizationBenchOptions {
  /** Seconds each bridge is driven per round, in 1 s slices. */
  readonly duration: number;
  readonly connections: number;
  readonly rounds: number;
  /** Bridges on CPU 0, wrk on CPU 1. */
  readonly pinning: boolean;
}

const TOKEN = 'bench-token-of-team-research';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
/** Several teams' tokens, as a platform has them; the bench calls as `research`. */
const TEAMS = ['research', 'support', 'billing', 'search', 'ops', 'data'];
const TOKENS = TEAMS.map((team) => `${team}:${sha256(team === 'research' ? TOKEN : `token-of-${team}`)}`).join(',');
/** Rules as a platform writes them: each team's tools, a default of deny. */
const ACCESS = JSON.stringify({
  default: 'deny',
  grants: [
    { server: 'builtin', tools: ['health_check'], tokens: TEAMS },
    { server: 'builtin', tools: ['process_data'], tokens: ['research', 'data'] },
    ...TEAMS.slice(2).map((team) => ({ server: 'builtin', tools: ['process_data'], tokens: [team] })),
  ],
});

/** The rows: the built-in tools/call of both eras, with the caller's token. */
const ROWS = {
  '2025-11-25 tools/call': SHAPES['2025-11-25 tools/call']!,
  '2026-07-28 tools/call process_data': SHAPES['2026-07-28 tools/call process_data']!,
};
const CONTENDERS = ['with rules', 'without rules', 'without rules (control)'] as const;
type Contender = (typeof CONTENDERS)[number];
type Run = Awaited<ReturnType<typeof runWrk>>;

/** One round's slices of one bridge as one run: mean req/s and CPU, median latency, all failures. */
function combine(slices: readonly Run[]): Run {
  const mean = (numbers: number[]) => numbers.reduce((total, number) => total + number, 0) / numbers.length;
  return {
    requestsPerSecond: mean(slices.map((slice) => slice.requestsPerSecond)),
    p50Ms: median(slices.map((slice) => slice.p50Ms)),
    p99Ms: median(slices.map((slice) => slice.p99Ms)),
    failed: slices.reduce((total, slice) => total + slice.failed, 0),
    serverCpu: Math.round(mean(slices.map((slice) => slice.serverCpu)) * 100) / 100,
    loadGeneratorCpu: Math.round(mean(slices.map((slice) => slice.loadGeneratorCpu)) * 100) / 100,
  };
}

/** The result: each contender's median round per row, and the ratios to the row without rules. */
export interface AuthorizationBenchResult {
  readonly runs: Record<Contender, Record<string, Run & { rounds: number[] }>>;
  /** With rules over without, per row. */
  readonly ratios: Record<string, number>;
  /** The control over without, per row: two identical bridges, so how far apart this machine puts them. */
  readonly controlRatios: Record<string, number>;
}

/** Runs the rows; logs each round as it ends. */
export async function benchAuthorization(options: AuthorizationBenchOptions): Promise<AuthorizationBenchResult> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const scratch = mkdtempSync(join(tmpdir(), 'bench-authorization-'));
  const common = { ...UNLIMITED, MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: TOKENS };
  const environments: Record<Contender, Record<string, string>> = { 'with rules': { ...common, MCP_ACCESS: ACCESS }, 'without rules': common, 'without rules (control)': common };
  const perRound = {} as Record<Contender, Record<string, Run[]>>;
  try {
    for (let round = 0; round < options.rounds; round += 1) {
      const order = CONTENDERS.map((_, index) => CONTENDERS[(index + round) % CONTENDERS.length]!);
      const bridges = {} as Record<Contender, Awaited<ReturnType<typeof startServerProcess>>>;
      for (const name of order) bridges[name] = await startServerProcess(['dist/node.mjs'], { cwd: root, env: environments[name] });
      try {
        for (const bridge of Object.values(bridges)) if (options.pinning) pinTo('0', bridge.process.pid!);
        for (const [label, row] of Object.entries(ROWS)) {
          const shape = { ...row, headers: { ...row.headers, authorization: `Bearer ${TOKEN}` } };
          const wrk = (name: Contender, seconds: number) =>
            runWrk({ url: `${bridges[name].url}/mcp`, shape, seconds, connections: options.connections, scriptFile: join(scratch, 'request.lua'), serverPid: bridges[name].process.pid!, ...(options.pinning ? { cpu: '1' } : {}) });
          for (const name of order) await wrk(name, 2); // warm-up: the JIT settles
          const slices = {} as Record<Contender, Run[]>;
          // A B C C B A A B C ...: each contender as often early as late in the round.
          const turns = [...order, ...[...order].reverse()];
          for (let slice = 0; slice < options.duration * order.length; slice += 1) {
            const name = turns[slice % turns.length]!;
            (slices[name] ??= []).push(await wrk(name, 1));
          }
          for (const name of order) {
            const run = combine(slices[name]);
            if (run.failed > 0) throw new Error(`bench/authorization: ${name} answered ${run.failed} requests of ${label} with an error: the caller's grant is wrong`);
            ((perRound[name] ??= {})[label] ??= []).push(run);
            console.log(`authorization round ${round + 1}`, name, label, run);
          }
        }
      } finally {
        for (const bridge of Object.values(bridges)) {
          bridge.process.kill('SIGTERM');
          await bridge.exited;
        }
      }
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const runs = Object.fromEntries(CONTENDERS.map((name) => [name, Object.fromEntries(Object.entries(perRound[name]).map(([label, list]) => [label, medianRun(list)]))])) as AuthorizationBenchResult['runs'];
  const ratiosOf = (name: Contender) =>
    Object.fromEntries(Object.keys(ROWS).map((label) => [label, Math.round(median(perRound[name][label]!.map((run, round) => run.requestsPerSecond / perRound['without rules'][label]![round]!.requestsPerSecond)) * 1000) / 1000]));
  return { runs, ratios: ratiosOf('with rules'), controlRatios: ratiosOf('without rules (control)') };
}

/** The report's section for {@link benchAuthorization}'s result. */
export function authorizationMarkdown(result: AuthorizationBenchResult, options: AuthorizationBenchOptions): string {
  const rows = Object.keys(ROWS).flatMap((label) =>
    CONTENDERS.map((name) => {
      const run = result.runs[name][label]!;
      return `| ${label} | ${name} | ${Math.round(run.requestsPerSecond)} | ${run.p99Ms.toFixed(2)} | ${run.serverCpu} | ${run.loadGeneratorCpu} | ${run.failed} |`;
    }),
  );
  return `## The cost of access rules (built-in tools/call)

Three bridges in token mode with the same ${TEAMS.length} named tokens, each writing an audit line per call: one with
\`MCP_ACCESS\` (a default of deny and ${JSON.parse(ACCESS).grants.length} grants, the caller's among them), two without (the second is the
control: how far apart this machine puts two identical bridges). ${options.rounds} rounds, each with fresh processes started
in a rotating order, of ${options.duration} s per bridge and row in 1 s slices taking turns${options.pinning ? '; bridges on CPU 0, wrk on CPU 1' : ''}. *bridge CPU*
near 1.0 with *load generator CPU* well under 1 means the bridge, not wrk, limits a row.

| request | bridge | req/s | p99 ms | bridge CPU | load generator CPU | failed |
|---|---|---|---|---|---|---|
${rows.join('\n')}

Over the bridge without rules (median of the ratios within each round). Target: with rules ≥ 0.95.

| request | with rules / without | control / without |
|---|---|---|
${Object.entries(result.ratios).map(([label, ratio]) => `| ${label} | ${ratio} | ${result.controlRatios[label]} |`).join('\n')}
`;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { duration: { type: 'string', default: '5' }, connections: { type: 'string', default: '50' }, rounds: { type: 'string', default: '3' } } });
  const options = { duration: Number(values.duration), connections: Number(values.connections), rounds: Number(values.rounds), pinning: canPin() };
  for (const [flag, value] of Object.entries(options)) {
    if (typeof value === 'number' && !(Number.isInteger(value) && value > 0)) {
      console.error(`bench/authorization: --${flag} must be a whole number above 0, not ${JSON.stringify(values[flag as keyof typeof values])}`);
      process.exit(2);
    }
  }
  const result = await benchAuthorization(options);
  const out = fileURLToPath(new URL('./report/', import.meta.url));
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'authorization.json'), `${JSON.stringify({ date: new Date().toISOString(), settings: options, ...result }, null, 2)}\n`);
  console.log(authorizationMarkdown(result, options));
}
