import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startChildServer } from '../support/child-server.js';
import { MCP_HEADERS } from '../support/node-server.js';

describe('graceful shutdown of the Node entry', () => {
  it('on SIGTERM finishes in-flight requests, refuses new ones, and exits 0 within 10 s', async () => {
    const server = await startChildServer();
    const url = new URL('/mcp', server.url);
    const body = JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'process_data', arguments: { operation: 'transform', data: { in_flight: true } } },
    });
    // Start three requests and send only half of each body, so they are in flight at SIGTERM.
    const inFlight = Array.from({ length: 3 }, () => {
      let finish!: () => void;
      const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { ...MCP_HEADERS, 'content-length': String(Buffer.byteLength(body)) } },
          (res) => {
            let text = '';
            res.on('data', (chunk) => (text += chunk));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.write(body.slice(0, 20));
        finish = () => req.end(body.slice(20));
      });
      return { response, finish: () => finish() };
    });
    await new Promise((resolve) => setTimeout(resolve, 200));

    const signalledAt = Date.now();
    server.process.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();

    for (const request of inFlight) request.finish();
    const responses = await Promise.all(inFlight.map((request) => request.response));
    for (const response of responses) {
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text).result.structuredContent).toEqual({ operation: 'transform', result: { inFlight: true } });
    }
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    expect(server.lines.some((line) => line.includes('shutdown: drained'))).toBe(true);
  });
});
