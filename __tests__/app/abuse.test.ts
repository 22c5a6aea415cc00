import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { toolSchema } from '../../app/tools/schema.js';
import { createApp } from '../../app/create-app.js';
import { secretRegion, withSecrets } from '../../app/lambda-secrets.js';
import { HealthReporter } from '../../app/runtime.js';
import { tools } from '../../app/tools/registry.js';
import type { ToolDefinition } from '../../app/tools/tool.js';
import { MCP_HEADERS } from '../support/node-server.js';

const health = () => new HealthReporter({ version: 't', platform: 'local', region: 'local', startedAtMs: Date.now() });
const call = (id: number, name: string, args: Record<string, unknown> = {}) =>
  JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });
const post = (body: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { ...MCP_HEADERS, host: 'localhost', ...headers },
  body,
});

describe('per-client rate limit', () => {
  const app = createApp({
    health: health(),
    allowedHostnames: ['localhost'],
    rateLimit: { requestsPerMinute: 60, burst: 3 },
    clientAddressOf: (c) => c.req.header('x-test-client') ?? 'unknown',
    log: () => undefined,
  });
  const ping = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' });

  it('answers 429 with Retry-After once a client empties its bucket, and not other clients', async () => {
    for (let i = 0; i < 3; i += 1) expect((await app.request('/mcp', post(ping, { 'x-test-client': 'a' }))).status).toBe(200);
    const limited = await app.request('/mcp', post(ping, { 'x-test-client': 'a' }));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringMatching(/Too Many Requests/) } });
    expect((await app.request('/mcp', post(ping, { 'x-test-client': 'b' }))).status).toBe(200);
  });

  it('does not limit /health', async () => {
    for (let i = 0; i < 10; i += 1) expect((await app.request('/health', { headers: { 'x-test-client': 'a' } })).status).toBe(200);
  });
});

describe('tool time limit', () => {
  const slowTool: ToolDefinition = {
    name: 'slow',
    title: 'Slow',
    description: 'Takes longer than allowed',
    inputSchema: toolSchema({}),
    outputSchema: toolSchema({ done: z.boolean() }),
    annotations: { readOnlyHint: true },
    run: () => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 2_000)),
  };
  const app = createApp({
    health: health(),
    allowedHostnames: ['localhost'],
    tools: [...tools, slowTool],
    toolTimeoutMs: 100,
    log: () => undefined,
  });

  it('answers an overrunning call with an error result, and keeps serving', async () => {
    const started = Date.now();
    const res = await app.request('/mcp', post(call(1, 'slow')));
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(await res.json()).toMatchObject({
      id: 1,
      result: { isError: true, content: [{ type: 'text', text: 'Tool slow did not finish within 100 ms' }] },
    });
    const next = await app.request('/mcp', post(call(2, 'health_check')));
    expect(await next.json()).toMatchObject({ id: 2, result: { structuredContent: { status: 'ok' } } });
  });
});

describe('CORS for browser clients', () => {
  const app = createApp({ health: health(), allowedHostnames: ['localhost', 'app.example.com'], log: () => undefined });

  it('answers a preflight from an allowed origin, exposing the MCP headers', async () => {
    const res = await app.request('/mcp', {
      method: 'OPTIONS',
      headers: { host: 'localhost', origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, mcp-protocol-version, authorization' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(res.headers.get('access-control-allow-headers')).toMatch(/MCP-Protocol-Version/i);
    const actual = await app.request('/mcp', post(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ping' }), { origin: 'https://app.example.com' }));
    expect(actual.headers.get('access-control-expose-headers')).toMatch(/MCP-Protocol-Version.*WWW-Authenticate/i);
  });

  it('refuses another origin with 403', async () => {
    const res = await app.request('/mcp', {
      method: 'OPTIONS',
      headers: { host: 'localhost', origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(res.status).toBe(403);
  });
});

describe('Lambda secrets by reference', () => {
  it('resolves <NAME>_SECRET_ARN into <NAME> at cold start, leaving set values alone', async () => {
    const read = async (arn: string) => ({ 'arn:aws:secretsmanager:eu-west-1:1:secret:a': ' abc \n' })[arn] ?? 'unexpected';
    const env = await withSecrets(
      { MCP_TOKEN_SHA256_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:a', OTHER_SECRET_ARN: 'arn:x', OTHER: 'kept' },
      read,
    );
    expect(env.MCP_TOKEN_SHA256).toBe('abc');
    expect(env.OTHER).toBe('kept');
  });

  it('reads a secret in the region its ARN names (the home region serves every region\'s function)', () => {
    expect(secretRegion('arn:aws:secretsmanager:eu-west-1:123456789012:secret:mcp-bridge-staging/token-sha256-AbCdEf')).toBe('eu-west-1');
    expect(secretRegion('arn:aws-us-gov:secretsmanager:us-gov-west-1:1:secret:x')).toBe('us-gov-west-1');
    expect(secretRegion('not-an-arn')).toBeUndefined();
  });
});
