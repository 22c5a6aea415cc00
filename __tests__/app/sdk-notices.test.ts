import { afterEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../app/create-app.js';
import { HealthReporter } from '../../app/runtime.js';
import { MCP_HEADERS } from '../support/node-server.js';

afterEach(() => vi.restoreAllMocks());

describe('what the SDK would print', () => {
  it('reaches the log once, as a JSON line, and never the console', async () => {
    const warn = vi.spyOn(console, 'warn');
    const lines: string[] = [];
    const app = createApp({
      health: new HealthReporter({ version: 'v', platform: 'local', region: 'local', startedAtMs: 0 }),
      allowedHostnames: ['localhost'],
      rateLimit: { requestsPerMinute: 1e9, burst: 1e9 },
      log: (line) => lines.push(line),
    });
    // Requests only the SDK answers (an unknown method), twice: the SDK is set up once.
    for (const id of [1, 2]) {
      const response = await app.request('/mcp', { method: 'POST', headers: { ...MCP_HEADERS, host: 'localhost' }, body: JSON.stringify({ jsonrpc: '2.0', id, method: 'nope' }) });
      expect((await response.json()).error.code).toBe(-32601);
    }
    expect(warn).not.toHaveBeenCalled();
    const notices = lines.map((line) => JSON.parse(line)).filter((entry) => entry.severity === 'NOTICE');
    expect(notices).toEqual([{ severity: 'NOTICE', message: expect.stringMatching(/^MCP SDK: responseMode: 'json' drops mid-call notifications/) }]);
  });
});
