import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postMcp, startTestServer, type TestServer } from '../../support/node-server.js';

const RESOURCE = 'https://mcp.example.test/mcp';
const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

let issuerServer: Server;
let issuer: string;
let signingKey: CryptoKey;
let strangerKey: CryptoKey;
let bridge: TestServer;

/** A JWT access token from the test issuer, with overridable claims. */
async function accessToken(claims: Record<string, unknown> = {}, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string } = {}) {
  return new SignJWT({ scope: 'mcp:use profile', client_id: 'test-client', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
    .setIssuer(options.issuer ?? issuer)
    .setAudience(options.audience ?? RESOURCE)
    .setSubject('user-1')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? signingKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  // The test's own authorization server: RFC 8414 metadata and a JWKS.
  issuerServer = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    if (req.url === '/.well-known/oauth-authorization-server') res.end(JSON.stringify({ issuer, jwks_uri: `${issuer}/jwks` }));
    else if (req.url === '/jwks') res.end(JSON.stringify({ keys: [jwk] }));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => issuerServer.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(issuerServer.address() as AddressInfo).port}`;
  bridge = await startTestServer({
    MCP_AUTH_MODE: 'oauth',
    MCP_OAUTH_ISSUER: issuer,
    MCP_OAUTH_AUDIENCE: RESOURCE,
    MCP_OAUTH_REQUIRED_SCOPES: 'mcp:use',
  });
});
afterAll(async () => {
  await bridge.close();
  issuerServer.close();
});

describe('OAuth 2.1 resource server', () => {
  it('serves Protected Resource Metadata (RFC 9728) at both well-known paths', async () => {
    for (const path of ['/.well-known/oauth-protected-resource/mcp', '/.well-known/oauth-protected-resource']) {
      const res = await fetch(`${bridge.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.json()).toEqual({
        resource: RESOURCE,
        authorization_servers: [issuer],
        bearer_methods_supported: ['header'],
        scopes_supported: ['mcp:use'],
        resource_name: 'MCP bridge',
      });
    }
  });

  it('answers 401 with WWW-Authenticate naming the resource metadata when there is no token', async () => {
    const res = await postMcp(bridge.mcpUrl, ping);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(
      'resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"',
    );
  });

  it('accepts a valid token through the official client and calls a tool', async () => {
    const token = await accessToken();
    const client = new Client({ name: 'oauth-client', version: '1' });
    await client.connect(new StreamableHTTPClientTransport(bridge.mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    const result = await client.callTool({ name: 'health_check', arguments: {} });
    expect(result.structuredContent).toMatchObject({ status: 'ok' });
    await client.close();
  });

  it('answers 403 insufficient_scope when the required scope is missing', async () => {
    const res = await postMcp(bridge.mcpUrl, ping, { authorization: `Bearer ${await accessToken({ scope: 'profile' })}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toMatch(/error="insufficient_scope"/);
    expect(res.headers.get('www-authenticate')).toMatch(/scope="mcp:use"/);
  });

  it.each([
    ['another audience', () => accessToken({}, { audience: 'https://other.example.test/mcp' })],
    ['another issuer', () => accessToken({}, { issuer: 'https://evil.example.test' })],
    ['an expired token', () => accessToken({}, { expiresIn: '-1m' })],
    ['a key the issuer does not publish', () => accessToken({}, { key: strangerKey })],
    ['a malformed token', async () => 'not.a.jwt'],
  ])('answers 401 for %s', async (_name, make) => {
    const res = await postMcp(bridge.mcpUrl, ping, { authorization: `Bearer ${await make()}` });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer .*error="invalid_token"/);
  });

  it('keeps /health open', async () => {
    expect((await fetch(`${bridge.url}/health`)).status).toBe(200);
  });
});

describe('grants by OAuth scope: two clients with different scopes', () => {
  let guarded: TestServer;
  beforeAll(async () => {
    guarded = await startTestServer({
      MCP_AUTH_MODE: 'oauth',
      MCP_OAUTH_ISSUER: issuer,
      MCP_OAUTH_AUDIENCE: RESOURCE,
      MCP_OAUTH_REQUIRED_SCOPES: 'mcp:use',
      MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'builtin', tools: ['health_check'], scopes: ['tools:health', 'tools:all'] }, { server: 'builtin', tools: ['process_data'], scopes: ['tools:data', 'tools:all'] }] }),
    });
  });
  afterAll(async () => {
    await guarded.close();
  });
  const clientWith = async (scope: string, clientId: string) => {
    const token = await accessToken({ scope, client_id: clientId });
    const client = new Client({ name: clientId, version: '1' });
    await client.connect(new StreamableHTTPClientTransport(guarded.mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }));
    return { client, token };
  };

  it('lists and calls exactly what each client\'s scopes grant', async () => {
    const health = await clientWith('mcp:use tools:health', 'health-client');
    const all = await clientWith('mcp:use tools:all', 'all-client');
    try {
      expect((await health.client.listTools()).tools.map((tool) => tool.name)).toEqual(['health_check']);
      expect((await all.client.listTools()).tools.map((tool) => tool.name).sort()).toEqual(['health_check', 'process_data']);
      expect((await all.client.callTool({ name: 'process_data', arguments: { operation: 'analyze', data: {} } })).isError).toBeFalsy();
      await expect(health.client.callTool({ name: 'process_data', arguments: { operation: 'analyze', data: {} } })).rejects.toThrow(/Insufficient scope/);
    } finally {
      await Promise.all([health.client.close(), all.client.close()]);
    }
  });

  it('refuses a call with 403 whose challenge names the scopes that would allow it and the resource metadata', async () => {
    const token = await accessToken({ scope: 'mcp:use tools:health', client_id: 'health-client' });
    const res = await postMcp(guarded.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'process_data', arguments: {} } }), { authorization: `Bearer ${token}` });
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(
      'Bearer error="insufficient_scope", error_description="The tool \\"process_data\\" of server \\"builtin\\" is not granted to client \\"health-client\\": it needs one of the scopes tools:data tools:all", scope="tools:data tools:all", resource_metadata="https://mcp.example.test/.well-known/oauth-protected-resource/mcp"',
    );
    expect(res.json.error.data).toEqual({ error: 'insufficient_scope', server: 'builtin', scope: 'tools:data tools:all' });
    const audit = guarded.logs.map((line) => JSON.parse(line)).find((entry) => entry.type === 'audit' && entry.outcome === 'refused');
    expect(audit).toMatchObject({ caller: { sub: 'user-1', clientId: 'health-client' }, server: 'builtin', tool: 'process_data' });
  });
});
