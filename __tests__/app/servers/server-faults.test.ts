// A server behind the bridge is someone else's program. Each way it can misbehave, against the real
// Node entry with a stdio server that misbehaves on request (__tests__/fixtures/servers/misbehaving-server.mjs):
// the client always gets an answer that names the server, the child is restarted, /health tells.
import { execFile } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../../app/node.js';
import { postMcp, startTestServer, type TestServer } from '../../support/node-server.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../../support/servers-file.js';

const call = (id: number, name: string, args: Record<string, unknown> = {}) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const health = async (bridge: TestServer) => {
  const response = await fetch(new URL('/health', bridge.url));
  return { status: response.status, body: await response.json() };
};
/** Polls until `check` holds (the restarts take their backoff); fails after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
/** The log entries of the bridge, parsed. */
const entries = (bridge: TestServer) => bridge.logs.map((line) => JSON.parse(line) as Record<string, any>);
/** What the child said it received (its stderr, tagged with the server in the log). */
const received = (bridge: TestServer) => entries(bridge).filter((entry) => entry.server === 'odd' && entry.stream === 'stderr' && String(entry.message).startsWith('received ')).map((entry) => JSON.parse(entry.message.slice('received '.length)));

describe('a server that cannot start', () => {
  const attempt = async (server: Record<string, unknown>) => {
    const servers = writeServersFile({ odd: server });
    try {
      return await startNodeServer({ PORT: '0', MCP_SERVERS_FILE: servers.file }, () => {}).then(
        async (running) => {
          await running.servers?.close();
          running.server.close();
          return 'started';
        },
        (error: Error) => error,
      );
    } finally {
      servers.remove();
    }
  };

  it('fails the start naming the server and its command when the command does not exist', async () => {
    const error = await attempt({ stdio: { command: 'no-such-mcp-server', args: ['--flag'] } });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/Server "odd" \(stdio: no-such-mcp-server --flag\) could not start: .*ENOENT/);
  });

  it('fails the start naming the server, its command and its last stderr when it exits at start (a missing runtime)', async () => {
    const error = (await attempt(STDIO_SERVERS.misbehaving('--exit-at-start'))) as Error;
    expect(error.message).toMatch(/Server "odd" \(stdio: .*misbehaving-server\.mjs --exit-at-start\) could not start/);
    expect(error.message).toContain('refusing to start (missing runtime)');
  });

  it('fails the start naming the server when it never answers initialize within its start timeout', async () => {
    const server = STDIO_SERVERS.misbehaving('--hang-at-start');
    const error = (await attempt({ stdio: { ...server.stdio, startTimeoutMs: 300 } })) as Error;
    expect(error.message).toMatch(/Server "odd" \(stdio: .*--hang-at-start\) could not start: .*(timed out|timeout)/i);
  });

  it('fails the start naming the tool whose prefixed name passes 64 characters', async () => {
    const servers = writeServersFile({ tools: { builtin: {} }, 'a-long-server-name-x': STDIO_SERVERS.misbehaving('--long-tool-name') });
    try {
      const error = await startNodeServer({ PORT: '0', MCP_SERVERS_FILE: servers.file }, () => {}).catch((failure: Error) => failure);
      expect((error as Error).message).toContain('server "a-long-server-name-x" tool "a_tool_name_that_is_fifty_characters_long_exactly_" would be "a-long-server-name-x_a_tool_name_that_is_fifty_characters_long_exactly_" (71 characters)');
    } finally {
      servers.remove();
    }
  });

  it('fails the start naming a secret its environment refers to that is not set', async () => {
    const server = STDIO_SERVERS.misbehaving();
    const error = (await attempt({ stdio: { ...server.stdio, env: { API_KEY: { secret: 'ODD_API_KEY' } } } })) as Error;
    expect(error.message).toContain('servers.odd.stdio.env.API_KEY: the secret ODD_API_KEY is not set');
  });

  it('makes npm start exit 1 with one line naming the server and its command', async () => {
    const servers = writeServersFile({ odd: { stdio: { command: 'no-such-mcp-server' } } });
    try {
      const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = execFile(process.execPath, ['--import', 'tsx', 'app/node.ts'], { env: { ...process.env, PORT: '0', MCP_SERVERS_FILE: servers.file }, timeout: 30_000 }, (_error, _stdout, stderr) =>
          resolve({ code: child.exitCode, stderr }),
        );
      });
      expect(outcome.code).toBe(1);
      expect(JSON.parse(outcome.stderr.trim().split('\n').at(-1)!)).toMatchObject({ severity: 'CRITICAL', message: expect.stringContaining('Server "odd" (stdio: no-such-mcp-server) could not start') });
    } finally {
      servers.remove();
    }
  });
});

describe('a server that misbehaves while serving', () => {
  let servers: ServersFile;
  let bridge: TestServer;
  let blocker: string;
  beforeAll(async () => {
    servers = writeServersFile((folder) => {
      blocker = join(folder, 'cannot-start');
      const server = STDIO_SERVERS.misbehaving(`--exit-at-start-if=${join(folder, 'cannot-start')}`);
      return { odd: { stdio: { ...server.stdio, maxInFlight: 2 } } };
    });
    bridge = await startTestServer({ MCP_SERVERS_FILE: servers.file, MCP_TOOL_TIMEOUT_MS: '800' });
  }, 30_000);
  afterAll(async () => {
    await bridge.close();
    servers.remove();
  });

  it('answers a call it hangs on with a JSON-RPC timeout error naming the server, and sends it notifications/cancelled', async () => {
    const answer = await postMcp(bridge.mcpUrl, call(1, 'hang'));
    expect(answer.status).toBe(200);
    expect(answer.json.error).toMatchObject({ code: -32001, message: 'Server "odd" did not answer tools/call within 800 ms (cancelled at the server)' });
    const hung = received(bridge).find((message) => message.method === 'tools/call' && message.params.name === 'hang');
    const cancelled = await eventually(async () => received(bridge).filter((message) => message.method === 'notifications/cancelled'), (found) => found.length > 0);
    expect(cancelled[0].params.requestId).toBe(hung.id);
  });

  it('sends the server notifications/cancelled when the client goes away mid-call', async () => {
    const before = received(bridge).filter((message) => message.method === 'notifications/cancelled').length;
    const controller = new AbortController();
    const pending = fetch(bridge.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' }, body: call(2, 'slow', { n: 600 }), signal: controller.signal });
    await eventually(async () => received(bridge).some((message) => message.params?.name === 'slow'), Boolean);
    controller.abort();
    await expect(pending).rejects.toThrow();
    const cancelled = await eventually(async () => received(bridge).filter((message) => message.method === 'notifications/cancelled'), (found) => found.length > before);
    const slow = received(bridge).find((message) => message.params?.name === 'slow');
    expect(cancelled.at(-1).params.requestId).toBe(slow.id);
  });

  it('skips a stdout line that is not JSON (as the SDK does: log noise), logs one that is JSON but not JSON-RPC tagged with the server, and still answers', async () => {
    const answer = await postMcp(bridge.mcpUrl, call(3, 'garbage'));
    expect(answer.json.result.content[0].text).toBe('after the garbage');
    expect(entries(bridge).some((entry) => entry.server === 'odd' && entry.severity === 'WARNING' && /JSON|parse/i.test(entry.message))).toBe(true);
  });

  it('answers a call it answers only with garbage with a timeout error naming the server', async () => {
    const answer = await postMcp(bridge.mcpUrl, call(4, 'only_garbage'));
    expect(answer.json.error).toMatchObject({ code: -32001, message: expect.stringContaining('Server "odd" did not answer tools/call') });
  });

  it('answers a call it answers with something that is not a tool result with an error naming the server and what is wrong', async () => {
    const answer = await postMcp(bridge.mcpUrl, call(40, 'not_a_result'));
    expect(answer.json.error).toMatchObject({ code: -32603, message: 'Server "odd" answered tools/call with something that is not its result (Invalid result for tools/call: content is not an array)' });
  });

  it('takes the first answer to an id answered twice, logs the second, and mixes nothing up', async () => {
    const [twice, echo] = await Promise.all([postMcp(bridge.mcpUrl, call(5, 'twice')), postMcp(bridge.mcpUrl, call(6, 'echo', { n: 6 }))]);
    expect(twice.json).toMatchObject({ id: 5, result: { content: [{ text: 'first answer' }] } });
    expect(echo.json).toMatchObject({ id: 6, result: { content: [{ text: '{"n":6}' }] } });
    const wrong = await postMcp(bridge.mcpUrl, call(7, 'wrong_id'));
    expect(wrong.json).toMatchObject({ id: 7, result: { content: [{ text: 'the right answer' }] } });
    expect(entries(bridge).filter((entry) => entry.server === 'odd' && entry.severity === 'WARNING' && /unknown message ID/i.test(entry.message)).length).toBeGreaterThanOrEqual(2);
  });

  it('logs a stderr flood as tagged lines, bounded per second with a count of what was dropped, and still answers', async () => {
    const before = bridge.logs.length;
    const answer = await postMcp(bridge.mcpUrl, call(8, 'flood', { n: 20_000 }));
    expect(answer.json.result.content[0].text).toBe('flooded 20000');
    const flood = await eventually(
      async () => entries(bridge).slice(before).filter((entry) => entry.server === 'odd' && String(entry.message).includes('flood line') || /stderr lines in a second/.test(String(entry.message))),
      (found) => found.some((entry) => entry.severity === 'WARNING'),
    );
    const lines = flood.filter((entry) => entry.severity === 'INFO');
    expect(lines[0]).toMatchObject({ severity: 'INFO', server: 'odd', stream: 'stderr', message: expect.stringMatching(/^flood line 0 x+$/) });
    expect(lines.length).toBeLessThan(1_000);
    expect(flood.find((entry) => entry.severity === 'WARNING')!.message).toMatch(/server "odd" wrote \d+ more stderr lines in a second than the log takes \(100\/s\): dropped/);
  });

  it('holds calls beyond its bound of requests in flight until one ends, and answers them all', async () => {
    let most = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        most = Math.max(most, (await health(bridge)).body.servers[0].inFlight);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const answers = await Promise.all([10, 11, 12, 13, 14].map((id) => postMcp(bridge.mcpUrl, call(id, 'slow', { n: 150 }))));
    sampling = false;
    await sampler;
    expect(answers.map((answer) => answer.json.result.content[0].text)).toEqual(Array(5).fill('slept 150'));
    expect(most).toBe(2);
  });

  it('picks up a tool it adds when it says its list changed, and its contract with it (/health and serverInfo._meta)', async () => {
    const initialize = JSON.stringify({ jsonrpc: '2.0', id: 22, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 't', version: '1' } } });
    const served = async () => ({ health: (await health(bridge)).body.contract, meta: (await postMcp(bridge.mcpUrl, initialize)).json.result.serverInfo._meta['mcp-multicloud/contract'] });
    const before = await served();
    expect(before.meta).toBe(before.health.fingerprint);
    await postMcp(bridge.mcpUrl, call(20, 'grow'));
    const listed = await eventually(
      async () => (await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 21, method: 'tools/list' }))).json.result.tools.map((tool: { name: string }) => tool.name),
      (names: string[]) => names.includes('grown'),
    );
    expect(listed).toContain('grown');
    const after = await served();
    expect(after.health.servers.odd).not.toBe(before.health.servers.odd);
    expect(after.meta).toBe(after.health.fingerprint);
    expect(after.meta).not.toBe(before.meta);
  });

  it('answers a call it crashes on naming the server, fails /health while it restarts, and serves again after', async () => {
    const answer = await postMcp(bridge.mcpUrl, call(30, 'crash'));
    expect(answer.json.error).toMatchObject({ code: -32603, message: expect.stringMatching(/^Server "odd" exited while answering tools\/call \(its last stderr: misbehaving-server: segfault in the middle of a call\); it is being restarted$/) });
    const down = await health(bridge);
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', servers: [{ name: 'odd', state: 'restarting' }] });
    const meanwhile = await postMcp(bridge.mcpUrl, call(31, 'echo'));
    expect(meanwhile.json.error.message).toMatch(/^Server "odd" is not serving \(restarting: exited or closed its connection/);
    const up = await eventually(() => health(bridge), (seen) => seen.status === 200);
    expect(up.body.servers[0]).toMatchObject({ state: 'ready', restarts: 1 });
    expect((await postMcp(bridge.mcpUrl, call(32, 'echo', { n: 32 }))).json.result.content[0].text).toBe('{"n":32}');
    expect(entries(bridge).some((entry) => entry.severity === 'ERROR' && entry.server === 'odd' && /restarting in \d+ ms/.test(entry.message))).toBe(true);
  });

  it('keeps /health at 503 while it cannot restart, backing off, and answers 200 once it can again', async () => {
    writeFileSync(blocker, '');
    await postMcp(bridge.mcpUrl, call(40, 'crash'));
    const failing = await eventually(() => health(bridge), (seen) => /could not restart/.test(seen.body.servers?.[0]?.reason ?? ''));
    expect(failing.status).toBe(503);
    expect(failing.body.servers[0].reason).toContain('refusing to start (missing runtime)');
    const tries = entries(bridge).filter((entry) => /could not restart: .*next try in (\d+) ms/.test(entry.message ?? '')).map((entry) => Number(/next try in (\d+) ms/.exec(entry.message)![1]));
    expect(tries[0]).toBe(1000);
    rmSync(blocker);
    const up = await eventually(() => health(bridge), (seen) => seen.status === 200, 20_000);
    expect(up.body.servers[0].state).toBe('ready');
  }, 30_000);
});
