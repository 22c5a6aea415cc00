// A stdio server's stdin gets every message of one event-loop turn in one write: against a real child
// process (Node, reporting each chunk it reads) through the SDK's own StdioClientTransport.
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { afterEach, describe, expect, it } from 'vitest';
import { childStdin, coalesceStdinWrites } from '../../../app/servers/coalesced-stdin.js';

/** A child that answers every chunk it reads with the ids of the lines in it. */
const CHUNK_REPORTER = `
let rest = '';
process.stdin.on('data', (chunk) => {
  const lines = (rest + chunk).split('\\n');
  rest = lines.pop();
  const ids = lines.filter(Boolean).map((line) => JSON.parse(line).id);
  process.stdout.write(JSON.stringify({ jsonrpc: '2.0', method: 'chunk', params: { ids } }) + '\\n');
});`;

const started: StdioClientTransport[] = [];
afterEach(async () => {
  for (const transport of started.splice(0)) await transport.close();
});

async function reporter() {
  const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', CHUNK_REPORTER] });
  const chunks: unknown[][] = [];
  transport.onmessage = (message: JSONRPCMessage) => chunks.push((message as unknown as { params: { ids: unknown[] } }).params.ids);
  coalesceStdinWrites(transport);
  await transport.start();
  started.push(transport);
  return { transport, chunks };
}

const ping = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, method: 'ping' });

describe('coalesceStdinWrites', () => {
  it("corks the child's stdin for the rest of the turn and uncorks it when the turn ends", async () => {
    const { transport } = await reporter();
    const stdin = childStdin(transport);
    expect(stdin, 'the SDK keeps the child where coalesceStdinWrites looks for it').toBeDefined();
    void transport.send(ping(1));
    void transport.send(ping(2));
    expect(stdin!.writableCorked).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(stdin!.writableCorked).toBe(0);
  });

  it('hands the child the messages of one turn in one chunk, in order, and those of a later turn apart', async () => {
    const { transport, chunks } = await reporter();
    await Promise.all(Array.from({ length: 20 }, (_, index) => transport.send(ping(index + 1))));
    await expect.poll(() => chunks.length).toBe(1);
    expect(chunks[0]).toEqual(Array.from({ length: 20 }, (_, index) => index + 1));
    await new Promise((resolve) => setTimeout(resolve, 50));
    await transport.send(ping(21));
    await expect.poll(() => chunks.length).toBe(2);
    expect(chunks[1]).toEqual([21]);
  });

  it('leaves a transport that has no child yet to fail as the SDK fails it', async () => {
    const transport = new StdioClientTransport({ command: process.execPath, args: ['-e', ''] });
    coalesceStdinWrites(transport);
    await expect(transport.send(ping(1))).rejects.toThrow('Not connected');
  });
});
