// An HTTP server behind the bridge: another real bridge (token mode) reached over Streamable HTTP,
// with its bearer token added as a configured header from a secret; and what a client sees when
// that server stops answering and comes back.
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettings } from '../../../app/environment.js';
import { bridgeEnvironment } from '../../../stacks/bridge-environment.js';
import { parseEnvironments } from '../../../stacks/config.js';
import { postMcp, startTestServer, type TestServer } from '../../support/node-server.js';
import { exampleConfig } from '../../support/synth.js';
import { writeServersFile, type ServersFile } from '../../support/servers-file.js';

const TOKEN = 'upstream-token-0123456789abcdef0123456789';
const upstreamEnv = (port = '0') => ({ PORT: port, MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: createHash('sha256').update(TOKEN).digest('hex') });
const call = (id: number, name: string, args: Record<string, unknown>) => JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

let upstream: TestServer;
let servers: ServersFile;
let bridge: TestServer;
beforeAll(async () => {
  upstream = await startTestServer(upstreamEnv());
  servers = writeServersFile({ tools: { builtin: {} }, remote: { http: { url: upstream.mcpUrl.href, headers: { Authorization: { secret: 'REMOTE_AUTHORIZATION' } } } } });
  bridge = await startTestServer({ MCP_SERVERS_FILE: servers.file, REMOTE_AUTHORIZATION: `Bearer ${TOKEN}` });
}, 30_000);
afterAll(async () => {
  await bridge.close();
  await upstream.close();
  servers.remove();
});

describe('an HTTP server behind the bridge', () => {
  it('lists its tools prefixed and calls them with the configured header', async () => {
    const listed = await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
    expect(listed.json.result.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(['remote_health_check', 'remote_process_data', 'tools_health_check', 'tools_process_data']);
    const answer = await postMcp(bridge.mcpUrl, call(2, 'remote_process_data', { operation: 'transform', data: { a_b: 1 } }));
    expect(answer.json.result.structuredContent).toEqual({ operation: 'transform', result: { aB: 1 } });
    // The upstream saw the call, authenticated (its log has the tool and a 200).
    expect(upstream.logs.map((line) => JSON.parse(line)).some((entry) => entry.toolName === 'process_data' && entry.httpRequest.status === 200)).toBe(true);
  });

  it('fails the start naming the server when the header\'s secret is missing, and when its token is refused', async () => {
    const { startNodeServer } = await import('../../../app/node.js');
    const missing = await startNodeServer({ PORT: '0', MCP_SERVERS_FILE: servers.file }, () => {}).catch((error: Error) => error);
    expect((missing as Error).message).toContain('servers.remote.http.headers.Authorization: the secret REMOTE_AUTHORIZATION is not set');
    const refused = await startNodeServer({ PORT: '0', MCP_SERVERS_FILE: servers.file, REMOTE_AUTHORIZATION: 'Bearer wrong' }, () => {}).catch((error: Error) => error);
    expect((refused as Error).message).toMatch(new RegExp(`^Server "remote" \\(http: ${upstream.mcpUrl.href}\\) could not start: .*401`));
  });

  it('fails the start within the server\'s startTimeoutMs when its URL accepts connections and never answers', async () => {
    const silent = createServer(() => {}).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/mcp`;
    const hanging = writeServersFile({ tools: { builtin: {} }, silent: { http: { url, startTimeoutMs: 300 } } });
    const { startNodeServer } = await import('../../../app/node.js');
    const startedAt = Date.now();
    try {
      const error = await startNodeServer({ PORT: '0', MCP_SERVERS_FILE: hanging.file }, () => {}).catch((failure: Error) => failure);
      expect((error as Error).message).toMatch(new RegExp(`^Server "silent" \\(http: ${url}\\) could not start: `));
      expect(Date.now() - startedAt).toBeLessThan(5_000);
    } finally {
      silent.closeAllConnections();
      silent.close();
      hanging.remove();
    }
  });

  it('answers naming the server while it is down, fails /health, and serves again once it is back', async () => {
    const port = upstream.mcpUrl.port;
    await upstream.close();
    const down = await postMcp(bridge.mcpUrl, call(3, 'remote_health_check', {}));
    expect(down.json.error).toMatchObject({ code: -32603, message: expect.stringMatching(/^Server "remote" could not be asked tools\/call: /) });
    expect((await fetch(new URL('/health', bridge.url))).status).toBe(503);
    // The built-in tools still answer meanwhile.
    expect((await postMcp(bridge.mcpUrl, call(4, 'tools_health_check', {}))).json.result.structuredContent.status).toBe('ok');
    upstream = await startTestServer(upstreamEnv(port));
    const until = Date.now() + 15_000;
    while ((await fetch(new URL('/health', bridge.url))).status !== 200 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await fetch(new URL('/health', bridge.url))).status).toBe(200);
    expect((await postMcp(bridge.mcpUrl, call(5, 'remote_health_check', {}))).json.result.structuredContent.status).toBe('ok');
  }, 30_000);
});

describe('the server list an environment deploys', () => {
  it('is served from MCP_SERVERS exactly as the stacks hand it to both clouds', async () => {
    const open = await startTestServer({});
    const config = exampleConfig();
    config.staging.servers = { tools: { builtin: {} }, remote: { http: { url: open.mcpUrl.href, headers: { 'X-Team': 'search' } } } };
    const { variables } = bridgeEnvironment(parseEnvironments(config).find((env) => env.name === 'staging')!);
    const deployed = await startTestServer({ MCP_SERVERS: variables.MCP_SERVERS! });
    try {
      const listed = await postMcp(deployed.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }));
      expect(listed.json.result.tools.map((tool: { name: string }) => tool.name).sort()).toEqual(['remote_health_check', 'remote_process_data', 'tools_health_check', 'tools_process_data']);
      const own = await postMcp(new URL('/servers/remote/mcp', deployed.url), call(2, 'process_data', { operation: 'transform', data: { a_b: 1 } }));
      expect(own.json.result.structuredContent).toEqual({ operation: 'transform', result: { aB: 1 } });
    } finally {
      await deployed.close();
      await open.close();
    }
  });

  it('is given once: MCP_SERVERS and MCP_SERVERS_FILE together are refused, naming both', () => {
    expect(() => readSettings({ MCP_SERVERS: '{"servers":{"tools":{"builtin":{}}}}', MCP_SERVERS_FILE: '/tmp/servers.json' }, 'local')).toThrowError(/MCP_SERVERS: give the server list once: MCP_SERVERS .* or MCP_SERVERS_FILE/);
  });
});
