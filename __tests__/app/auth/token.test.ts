import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvironmentError, readSettings } from '../../../app/environment.js';
import { postMcp, startTestServer, type TestServer } from '../../support/node-server.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKENS = ['first-token-Ay7', 'second-token-Qp2'];
const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: TOKENS.map(sha256).join(',') });
});
afterAll(async () => {
  await server.close();
});

describe('token authentication', () => {
  it('refuses a request without a token: 401 with a Bearer challenge', async () => {
    const res = await postMcp(server.mcpUrl, ping);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(res.json).toMatchObject({ error: 'invalid_token' });
  });

  it('refuses an unknown token and a non-bearer scheme', async () => {
    expect((await postMcp(server.mcpUrl, ping, { authorization: 'Bearer not-a-known-token' })).status).toBe(401);
    expect((await postMcp(server.mcpUrl, ping, { authorization: `Basic ${btoa('a:b')}` })).status).toBe(401);
  });

  it('accepts each configured token, through the official client', async () => {
    for (const token of TOKENS) {
      const client = new Client({ name: 'token-client', version: '1' });
      await client.connect(
        new StreamableHTTPClientTransport(server.mcpUrl, { requestInit: { headers: { authorization: `Bearer ${token}` } } }),
      );
      const { tools } = await client.listTools();
      expect(tools).toHaveLength(2);
      await client.close();
    }
  });

  it('keeps /health open, revealing nothing sensitive', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const token of TOKENS) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(sha256(token));
    }
  });

  it('never logs the token', () => {
    expect(server.logs.join('\n')).not.toMatch(new RegExp(TOKENS.join('|')));
  });
});

describe('token settings', () => {
  it('require digests in token mode', () => {
    expect(() => readSettings({ MCP_AUTH_MODE: 'token' }, 'local')).toThrowError(/MCP_TOKEN_SHA256: required when MCP_AUTH_MODE is token/);
  });

  it('refuse a value that is not a SHA-256 hex digest, without echoing it whole', () => {
    const call = () => readSettings({ MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: 'plain-text-token-value' }, 'local');
    expect(call).toThrowError(EnvironmentError);
    expect(call).toThrowError(/"plain-te…" is not a SHA-256 hex digest/);
  });

  it('refuse an unknown mode', () => {
    expect(() => readSettings({ MCP_AUTH_MODE: 'basic' }, 'local')).toThrowError(/MCP_AUTH_MODE/);
  });
});
