import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_HEADERS, postMcp, startTestServer, type TestServer } from '../support/node-server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const ping = (id: number) => JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' });

/** After each bad request, the server must still answer a good one. */
async function expectStillServing(): Promise<void> {
  const res = await postMcp(server.mcpUrl, ping(999));
  expect(res.status).toBe(200);
  expect(res.json).toEqual({ jsonrpc: '2.0', id: 999, result: {} });
}

describe('bad input on POST /mcp, each with the right status and JSON-RPC code', () => {
  it('malformed JSON: 400, -32700, id null', async () => {
    const res = await postMcp(server.mcpUrl, '{"jsonrpc": "2.0", "id": 1,');
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
    await expectStillServing();
  });

  it('valid JSON that is not JSON-RPC: 400, -32600', async () => {
    for (const body of ['{"hello":"world"}', '42', '"text"', 'null']) {
      const res = await postMcp(server.mcpUrl, body);
      expect(res.status, body).toBe(400);
      expect(res.json, body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    }
    await expectStillServing();
  });

  it('a batch array: 400, -32600, saying batching was removed', async () => {
    const res = await postMcp(server.mcpUrl, `[${ping(1)},${ping(2)}]`);
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ id: null, error: { code: -32600, message: expect.stringMatching(/batch/i) } });
    await expectStillServing();
  });

  it('unknown method: -32601 with the request id', async () => {
    const res = await postMcp(server.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'no/such' }));
    expect(res.json).toMatchObject({ id: 7, error: { code: -32601 } });
    await expectStillServing();
  });

  it('invalid params: -32602', async () => {
    const res = await postMcp(
      server.mcpUrl,
      JSON.stringify({ jsonrpc: '2.0', id: 8, method: 'tools/call', params: { name: 42 } }),
    );
    expect(res.json).toMatchObject({ id: 8, error: { code: -32602 } });
    await expectStillServing();
  });

  it('unknown tool: an error naming the tool', async () => {
    const res = await postMcp(
      server.mcpUrl,
      JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'drop_tables', arguments: {} } }),
    );
    expect(res.json).toMatchObject({ id: 9, error: { code: -32602, message: expect.stringContaining('drop_tables') } });
  });

  it('wrong Accept: 406', async () => {
    const res = await postMcp(server.mcpUrl, ping(1), { accept: 'text/html' });
    expect(res.status).toBe(406);
    expect(res.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    await expectStillServing();
  });

  it('wrong Content-Type: 415', async () => {
    const res = await postMcp(server.mcpUrl, ping(1), { 'content-type': 'text/plain' });
    expect(res.status).toBe(415);
    expect(res.json).toMatchObject({ jsonrpc: '2.0', error: { code: -32000 } });
    await expectStillServing();
  });

  it('unsupported MCP-Protocol-Version: 400', async () => {
    for (const version of ['1999-01-01', '2024-11-05']) {
      const res = await postMcp(server.mcpUrl, ping(1), { 'mcp-protocol-version': version });
      expect(res.status, version).toBe(400);
      expect(res.json, version).toMatchObject({ jsonrpc: '2.0', error: {} });
    }
    await expectStillServing();
  });

  it('a notification: 202 with no body', async () => {
    const res = await postMcp(server.mcpUrl, JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }));
    expect(res.status).toBe(202);
    expect(res.text).toBe('');
  });

  it('GET and DELETE /mcp: 405 with Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const res = await fetch(server.mcpUrl, { method, headers: { accept: 'text/event-stream' } });
      expect(res.status, method).toBe(405);
      expect(res.headers.get('allow'), method).toBe('POST');
    }
  });

  it('never issues an Mcp-Session-Id', async () => {
    const res = await postMcp(
      server.mcpUrl,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.json.result.protocolVersion).toBe('2025-06-18');
    expect(res.headers.get('mcp-session-id')).toBeNull();
  });

  it('a body over 1 MiB: 413 before the body is read whole', async () => {
    const url = server.mcpUrl;
    // Announce 5 MiB but send only a few bytes: a server that waited for the whole body would hang.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...MCP_HEADERS, 'content-length': String(5 * 1024 * 1024) } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
          req.destroy();
        },
      );
      req.on('error', reject);
      req.write('{"jsonrpc":');
    });
    expect(status).toBe(413);
    await expectStillServing();
  });

  it('a streamed body over 1 MiB without Content-Length: 413', async () => {
    const chunk = new TextEncoder().encode(' '.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 40) return controller.close();
        sent += 1;
        controller.enqueue(chunk);
      },
    });
    const res = await fetch(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
    await expectStillServing();
  });
});

describe('DNS-rebinding protection', () => {
  it('rejects a foreign Host with 403', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = server.mcpUrl;
      const req = httpRequest(
        { host: url.hostname, port: url.port, path: '/mcp', method: 'POST', headers: { ...MCP_HEADERS, host: 'evil.example.com' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(ping(1));
    });
    expect(status).toBe(403);
  });

  it('rejects a foreign Origin with 403', async () => {
    const res = await postMcp(server.mcpUrl, ping(1), { origin: 'https://evil.example.com' });
    expect(res.status).toBe(403);
  });

  it('accepts a localhost Origin', async () => {
    const res = await postMcp(server.mcpUrl, ping(1), { origin: 'http://localhost:3000' });
    expect(res.status).toBe(200);
  });

  it('remembers its verdicts per header: the Host value it accepts is refused as an Origin, which needs a scheme', async () => {
    expect((await postMcp(server.mcpUrl, ping(1))).status).toBe(200);
    const res = await postMcp(server.mcpUrl, ping(1), { origin: server.mcpUrl.host });
    expect(res.status).toBe(403);
    expect(res.json.error.message).toBe(`Invalid Origin header: ${server.mcpUrl.host}`);
  });
});

describe('GET /health and /metrics', () => {
  it('/health reports status, version, platform, region, coldStart, uptime and the contract served, and nothing else', async () => {
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['coldStart', 'contract', 'platform', 'region', 'status', 'uptimeSeconds', 'version']);
    expect(body).toMatchObject({ status: 'ok', platform: 'local', region: 'local' });
    // The built-in tools alone are the implicit builtin server: the contract contracts/<env>/builtin.json holds.
    expect(body.contract).toEqual({ fingerprint: expect.stringMatching(/^sha256:[a-f0-9]{64}$/), servers: { builtin: expect.stringMatching(/^sha256:[a-f0-9]{64}$/) } });
    const again = (await (await fetch(`${server.url}/health`)).json()) as { coldStart: boolean };
    expect(again.coldStart).toBe(false);
  });

  it('/metrics counts requests by route, status, MCP method and tool, with a latency histogram', async () => {
    await postMcp(
      server.mcpUrl,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'health_check', arguments: {} } }),
    );
    const res = await fetch(`${server.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(
      /mcp_http_requests_total\{route="\/mcp",method="POST",status="200",mcp_method="tools\/call",tool="health_check"\} \d+/,
    );
    expect(text).toMatch(/mcp_http_request_duration_seconds_bucket\{le="0.005",route="\/mcp",mcp_method="tools\/call"\}/);
  });

  it('/metrics counts every request exactly, across scrapes', async () => {
    const count = async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return Number(/mcp_http_requests_total\{route="\/mcp",method="POST",status="200",mcp_method="ping",tool=""\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    const before = await count();
    for (let id = 0; id < 7; id += 1) await postMcp(server.mcpUrl, ping(id));
    expect(await count()).toBe(before + 7);
    await postMcp(server.mcpUrl, ping(8));
    expect(await count()).toBe(before + 8);
  });

  it('/metrics names only served methods and known tools: made-up names count as other and unknown, not as new series', async () => {
    for (let n = 0; n < 20; n += 1) {
      await postMcp(server.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: n, method: `made/up-${n}` }));
      await postMcp(server.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: n, method: 'tools/call', params: { name: `made_up_${n}`, arguments: {} } }));
    }
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).not.toMatch(/made/);
    expect(text).toMatch(/mcp_http_requests_total\{route="\/mcp",method="POST",status="200",mcp_method="other",tool=""\} (\d+)/);
    expect(text).toMatch(/mcp_http_requests_total\{route="\/mcp",method="POST",status="200",mcp_method="tools\/call",tool="unknown"\} (\d+)/);
    expect(text).toMatch(/mcp_http_request_duration_seconds_count\{route="\/mcp",mcp_method="other"\} \d+/);
  });
});

describe('structured logs', () => {
  it('one JSON line per request with severity, httpRequest, MCP method, tool and request id; never a token or a body', async () => {
    const secret = 'Bearer sk-live-do-not-log';
    const marker = 'body-marker-do-not-log';
    await postMcp(
      server.mcpUrl,
      JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'process_data', arguments: { operation: 'analyze', data: { marker } } },
      }),
      { authorization: secret, 'x-request-id': 'req-abc-123' },
    );
    const line = server.logs.map((entry) => JSON.parse(entry)).find((entry) => entry.requestId === 'req-abc-123');
    expect(line).toMatchObject({
      severity: 'INFO',
      httpRequest: { requestMethod: 'POST', requestUrl: '/mcp', status: 200, latency: expect.stringMatching(/^\d+\.\d+s$/) },
      mcpMethod: 'tools/call',
      toolName: 'process_data',
    });
    const all = server.logs.join('\n');
    expect(all).not.toContain('sk-live-do-not-log');
    expect(all).not.toContain(marker);
  });
});

describe('X-Request-Id', () => {
  /** Each kind of response the bridge builds: Hono's, the fast path's own, the SDK's, a middleware's refusal, a handler's error. */
  const requests: Array<[string, () => Promise<Response>]> = [
    ['GET /health', () => fetch(`${server.url}/health`)],
    ['an unknown path (404)', () => fetch(`${server.url}/no/such/path`)],
    ['GET /mcp (405)', () => fetch(server.mcpUrl)],
    ['a fast-path answer (tools/list)', () => fetch(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) })],
    ['a notification (202)', () => fetch(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) })],
    ['an SDK answer (unknown method)', () => fetch(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'no/such' }) })],
    ['malformed JSON (400)', () => fetch(server.mcpUrl, { method: 'POST', headers: MCP_HEADERS, body: '{' })],
    ['a foreign Host (403)', () => new Promise((resolve, reject) => {
      // fetch() cannot set Host: a raw request can.
      const req = httpRequest(server.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, host: 'evil.example.com' } }, (res) => {
        res.resume();
        resolve(new Response(null, { status: res.statusCode!, headers: res.headers as Record<string, string> }));
      });
      req.on('error', reject);
      req.end(ping(3));
    })],
  ];

  it.each(requests)('is on %s, and is the id its log line names', async (_label, send) => {
    const before = server.logs.length;
    const res = await send();
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[\w.:-]{1,128}$/);
    // The log line is written once the response is done: wait for it.
    await expect.poll(() => server.logs.slice(before).map((line) => JSON.parse(line).requestId)).toContain(id);
  });

  it('echoes a well-formed X-Request-Id the client sent, on a fast-path and an SDK answer alike', async () => {
    for (const [id, method] of [['trace-fast-1', 'ping'], ['trace-sdk-1', 'no/such']] as const) {
      const res = await fetch(server.mcpUrl, { method: 'POST', headers: { ...MCP_HEADERS, 'x-request-id': id }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method }) });
      expect(res.headers.get('x-request-id'), method).toBe(id);
    }
  });
});

