import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDrillArgs, runDrill } from '../../ops/drill.js';
import { startLocalLambda } from '../support/local-lambda.js';
import { startTestServer, type TestServer } from '../support/node-server.js';

let primary: TestServer;
let secondary: { url: string; close: () => Promise<void> };
let proxy: Server;
let proxyUrl: string;
let target: string;

beforeAll(async () => {
  primary = await startTestServer();
  secondary = await startLocalLambda();
  target = primary.url;
  // Stands in for the failover name: forwards to whichever backend is "in DNS" now.
  proxy = createServer((req, res) => {
    const upstream = new URL(req.url ?? '/', target);
    req.pipe(
      request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});
afterAll(async () => {
  proxy.close();
  await primary.close();
  await secondary.close();
});

describe('the failover drill', () => {
  it('reports when clients moved to the secondary and how long it took', async () => {
    target = primary.url;
    const lines: string[] = [];
    setTimeout(() => (target = secondary.url), 600);
    const outcome = await runDrill({ name: 'localhost', url: proxyUrl, intervalSeconds: 0.1, timeoutSeconds: 10 }, (line) =>
      lines.push(line),
    );
    expect(outcome).toMatchObject({ moved: true, from: 'local', to: 'lambda' });
    expect(outcome.seconds).toBeGreaterThanOrEqual(0.5);
    expect(outcome.seconds).toBeLessThan(10);
    expect(lines[0]).toMatch(/^drill: localhost → \[127\.0\.0\.1.*\], answered by local; waiting for lambda$/);
    expect(lines.at(-1)).toMatch(/^drill: clients moved from local to lambda in \d+\.\d s$/);
  });

  it('gives up and says so when traffic does not move', async () => {
    target = primary.url;
    const lines: string[] = [];
    const outcome = await runDrill({ name: 'localhost', url: proxyUrl, to: 'lambda', intervalSeconds: 0.1, timeoutSeconds: 0.5 }, (line) =>
      lines.push(line),
    );
    expect(outcome.moved).toBe(false);
    expect(lines.at(-1)).toBe('drill: clients did not move to lambda within 0.5 s (still local)');
  });

  it('takes its flags through the operator commands\' parser: defaults, and each bad one named', () => {
    expect(parseDrillArgs(['--name', 'mcp.example.com'])).toEqual({ help: false, name: 'mcp.example.com', intervalSeconds: 5, timeoutSeconds: 900 });
    expect(() => parseDrillArgs([])).toThrow('--name is required');
    expect(() => parseDrillArgs(['--name', 'n', '--interval', '0'])).toThrow('--interval 0: seconds, from 1 to 300');
    expect(() => parseDrillArgs(['--name', 'n', '--timeout', 'soon'])).toThrow('--timeout soon: seconds');
    expect(() => parseDrillArgs(['--name', 'n', '--to', 'azure'])).toThrow('--to azure: one of lambda, cloud-run');
    expect(() => parseDrillArgs(['--name', 'n', '--every', '3'])).toThrow("Unknown option '--every'");
  });
});
