// The floor of the stdio rows: a bare client writing JSON-RPC lines straight to a stdio server's
// stdin and reading its answers, with as many requests in flight as the HTTP load has connections.
// Nothing between the client and the child: what any front of that child can at best approach.
//   tsx bench/servers/stdio-floor.ts <seconds> <warm-up seconds> <in flight> <request JSON> -- <command> [args...]
// Prints one JSON line: answers per second, failures, the 99th percentile latency, and the CPU the
// client and the child used.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { cpuSeconds } from '../load.js';

const [secondsArg, warmUpArg, inFlightArg, requestJson, separator, command, ...args] = process.argv.slice(2);
if (separator !== '--' || command === undefined) {
  console.error('usage: stdio-floor.ts <seconds> <warm-up seconds> <in flight> <request JSON> -- <command> [args...]');
  process.exit(2);
}
const seconds = Number(secondsArg);
const warmUpSeconds = Number(warmUpArg);
const inFlight = Number(inFlightArg);
const request = JSON.parse(requestJson!) as Record<string, unknown>;

const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env: process.env });
const lines = createInterface({ input: child.stdout! });
const waiting = new Map<number, (message: { error?: unknown }) => void>();
lines.on('line', (line) => {
  const message = JSON.parse(line) as { id?: number; error?: unknown };
  if (typeof message.id === 'number') waiting.get(message.id)?.(message);
});
let nextId = 1;
const send = (body: Record<string, unknown>) =>
  new Promise<{ error?: unknown }>((resolve) => {
    const id = nextId++;
    waiting.set(id, (message) => {
      waiting.delete(id);
      resolve(message);
    });
    child.stdin!.write(`${JSON.stringify({ ...body, jsonrpc: '2.0', id })}\n`);
  });

await send({ method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'stdio-floor', version: '1' } } });
child.stdin!.write('{"jsonrpc":"2.0","method":"notifications/initialized"}\n');

// Warm-up, then the measured run.
const run = async (forMs: number) => {
  let answered = 0;
  let failed = 0;
  const latencies: number[] = [];
  const until = performance.now() + forMs;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        const sent = performance.now();
        const answer = await send(request);
        latencies.push(performance.now() - sent);
        if (answer.error === undefined) answered += 1;
        else failed += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { answered, failed, p99Ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
};
await run(warmUpSeconds * 1000);
const clientCpuBefore = cpuSeconds(process.pid);
const childCpuBefore = cpuSeconds(child.pid!);
const started = performance.now();
const { answered, failed, p99Ms } = await run(seconds * 1000);
const elapsed = (performance.now() - started) / 1000;
console.log(
  JSON.stringify({
    requestsPerSecond: answered / elapsed,
    failed,
    p99Ms,
    clientCpu: Math.round(((cpuSeconds(process.pid) - clientCpuBefore) / elapsed) * 100) / 100,
    childCpu: Math.round(((cpuSeconds(child.pid!) - childCpuBefore) / elapsed) * 100) / 100,
  }),
);
child.kill();
