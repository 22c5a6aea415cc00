// Where the bridge's time goes under load, by module: a CPU profile of the Node entry (bundled
// unminified, so functions keep their names) while wrk sends one request shape, summed by the
// source module each sampled function comes from (esbuild marks every module in the bundle).
//   npm run bench:profile [-- --shape "2026-07-28 tools/call process_data" --duration 10 --servers-file <file>]
// With --servers-file the bridge fronts the servers that file names (MCP_SERVERS_FILE), and the
// shapes of the stdio rows (bench/stdio-servers.ts) can be sent too.
// Writes bench/report/profile.md. Not a test: a profile is for finding what to cut.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startServerProcess } from '../scripts/server-process.js';
import { canPin, pinTree, runWrk, SHAPES, UNLIMITED } from './load.js';
import { STDIO_SHAPES } from './stdio-servers.js';

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: '2026-07-28 tools/call process_data' },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    'servers-file': { type: 'string' },
  },
});
const shapes = { ...SHAPES, ...STDIO_SHAPES };
const shape = shapes[values.shape];
if (shape === undefined) {
  console.error(`bench:profile: --shape ${JSON.stringify(values.shape)} is not one of: ${Object.keys(shapes).join('; ')}`);
  process.exit(2);
}
const duration = Number(values.duration);
const connections = Number(values.connections);
if (!(duration > 0) || !Number.isInteger(connections) || connections < 1) {
  console.error('bench:profile: --duration must be a number of seconds above 0, --connections a whole number above 0');
  process.exit(2);
}
const root = fileURLToPath(new URL('..', import.meta.url));
const work = fileURLToPath(new URL('./report/.build/profile/', import.meta.url));
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

const elapsed = (() => {
  const started = performance.now();
  return () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
})();
const step = (n: number, what: string) => console.error(`[${n}/4] ${what} (${elapsed()} so far)`);

step(1, 'bundle app/node.ts unminified');
const bundle = join(work, 'node.mjs');
await build({
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  entryPoints: ['app/node.ts'],
  outfile: bundle,
  logLevel: 'warning',
});

step(2, `start it under --cpu-prof and send ${values.shape} with wrk for ${duration} s`);
const pinning = canPin();
const server = await startServerProcess(['--cpu-prof', '--cpu-prof-dir', work, '--cpu-prof-interval', '100', bundle], { cwd: root, env: { ...UNLIMITED, ...(values['servers-file'] === undefined ? {} : { MCP_SERVERS_FILE: values['servers-file'] }) } });
if (pinning) pinTree('0', server.process.pid!);
const wrk = { url: `${server.url}/mcp`, shape, connections, scriptFile: join(work, 'request.lua'), serverPid: server.process.pid!, ...(pinning ? { cpu: '1' } : {}) };
await runWrk({ ...wrk, seconds: 15 }); // warm-up: pinned to one CPU, the JIT takes seconds to settle
const run = await runWrk({ ...wrk, seconds: duration });

step(3, 'stop it (the Node entry drains and exits, which writes the profile)');
server.process.kill('SIGTERM');
await server.exited;

step(4, 'sum the samples by source module');
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
const profileFile = readdirSync(work).find((file) => file.endsWith('.cpuprofile'));
if (profileFile === undefined) throw new Error(`no .cpuprofile in ${work}: the server did not exit cleanly`);
const profile = JSON.parse(readFileSync(join(work, profileFile), 'utf8')) as { nodes: ProfileNode[]; samples: number[] };
// esbuild starts every module of the bundle with a `// <path>` comment line.
const moduleOfLine: string[] = [];
let current = '(bundle runtime)';
for (const [index, line] of readFileSync(bundle, 'utf8').split('\n').entries()) {
  const marker = /^\/\/ ((?:node_modules|app)\/\S+)$/.exec(line);
  if (marker) current = marker[1]!.replace(/^node_modules\/((?:@[^/]+\/)?[^/]+)\/.*$/, '$1');
  moduleOfLine[index] = current;
}
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const where = ({ callFrame }: ProfileNode): string => {
  if (callFrame.url === '') return callFrame.functionName === '(program)' || callFrame.functionName === '(garbage collector)' || callFrame.functionName === '(idle)' ? callFrame.functionName : `native ${callFrame.functionName} (system calls and V8 built-ins)`;
  if (callFrame.url.endsWith('/node.mjs')) return moduleOfLine[callFrame.lineNumber] ?? '(bundle)';
  return callFrame.url.startsWith('node:') ? `Node.js ${callFrame.url.replace(/^node:(internal\/)?/, '').split('/')[0]}` : callFrame.url;
};
const samples = new Map<string, number>();
for (const id of profile.samples) {
  const key = where(byId.get(id)!);
  samples.set(key, (samples.get(key) ?? 0) + 1);
}
const idle = samples.get('(idle)') ?? 0;
samples.delete('(idle)');
const busy = profile.samples.length - idle;
const rows = [...samples].sort((a, b) => b[1] - a[1]).filter(([, count]) => count / busy >= 0.002);

const report = `# Where the bridge's time goes

${new Date().toISOString()}, Node ${process.version}; \`${values.shape}\`, wrk with ${connections} connections for ${duration} s${pinning ? ', the server on CPU 0 and wrk on CPU 1' : ''}; ${Math.round(run.requestsPerSecond)} req/s under the profiler (which slows it), server CPU ${run.serverCpu}.

Self time of the sampled functions, summed by the module they come from, as a share of the
server's busy time (${busy} samples of 100 µs; idle left out). \`native writev\` is the system call
that sends each response; the floor pays it too.

| where | share of busy time |
|---|---|
${rows.map(([key, count]) => `| ${key} | ${((count / busy) * 100).toFixed(1)}% |`).join('\n')}
`;
writeFileSync(fileURLToPath(new URL('./report/profile.md', import.meta.url)), report);
console.log(report);
