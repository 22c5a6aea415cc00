// Soak test (a script, not a unit test): 20,000 requests at concurrency 64 against the
// built Node server on loopback; reports errors (must be 0) and memory growth after warm-up.
//   npm run soak [-- --requests 20000 --concurrency 64]
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildBundles } from '../scripts/build.js';
import { startServerProcess } from '../scripts/server-process.js';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '20000' }, concurrency: { type: 'string', default: '64' } },
});
const total = Number(values.requests);
const concurrency = Number(values.concurrency);
const warmUp = Math.min(2_000, Math.floor(total / 10));

const bodies = [
  { jsonrpc: '2.0', id: 1, method: 'tools/list' },
  { jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: 'process_data', arguments: { operation: 'transform', data: { user_name: ' x ', tags: ['a', null] } } } },
  { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'process_data', arguments: { operation: 'analyze', data: { rows: [{ v: 1 }, { v: 2 }] } } } },
  { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'health_check', arguments: {} } },
].map((body) => JSON.stringify(body));
const headers = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' };

await buildBundles();
const server = await startServerProcess([fileURLToPath(new URL('../dist/node.mjs', import.meta.url))], {
  env: { MCP_RATE_LIMIT_PER_MINUTE: '100000000', MCP_RATE_LIMIT_BURST: '100000000' },
});
const base = server.url;

/** The server's resident memory, from its own Prometheus metrics. */
async function residentMiB(): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  return Number(/^process_resident_memory_bytes (\d+)/m.exec(text)![1]) / 1024 / 1024;
}

let sent = 0;
let errors = 0;
const firstErrors: string[] = [];
let rssAfterWarmUp = 0;
const started = performance.now();
async function worker(): Promise<void> {
  while (sent < total) {
    const index = sent++;
    if (index === warmUp) rssAfterWarmUp = await residentMiB();
    try {
      const res = await fetch(`${base}/mcp`, { method: 'POST', headers, body: bodies[index % bodies.length] });
      const json = (await res.json()) as { error?: unknown; result?: { isError?: boolean } };
      if (res.status !== 200 || json.error !== undefined || json.result?.isError) throw new Error(`status ${res.status}`);
    } catch (error) {
      errors += 1;
      if (firstErrors.length < 5) firstErrors.push((error as Error).message);
    }
  }
}
await Promise.all(Array.from({ length: concurrency }, worker));
const seconds = (performance.now() - started) / 1000;
const rssAtEnd = await residentMiB();
server.process.kill('SIGTERM');
await server.exited;

console.log(`soak: ${total} requests, concurrency ${concurrency}, ${seconds.toFixed(1)} s (${Math.round(total / seconds)} req/s)`);
console.log(`soak: errors ${errors}${firstErrors.length ? ` (first: ${firstErrors.join('; ')})` : ''}`);
console.log(`soak: RSS after ${warmUp} warm-up requests ${rssAfterWarmUp.toFixed(1)} MiB, at end ${rssAtEnd.toFixed(1)} MiB, growth ${(rssAtEnd - rssAfterWarmUp).toFixed(1)} MiB`);
process.exit(errors === 0 ? 0 : 1);
