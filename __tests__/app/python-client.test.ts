// The official Python MCP SDK (2.x, in the tests' own .venv: __tests__/support/python-env.ts) against the real Node
// server: its Client in the default mode (server/discover, then 2026-07-28) and in legacy mode
// (initialize, 2025-11-25), through tools/list and every tool and operation.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../support/node-server.js';
import { testPython } from '../support/python-env.js';

const SCRIPT = fileURLToPath(new URL('../clients/python_client.py', import.meta.url));

/** Runs the Python client; resolves with what it printed, or rejects with its stderr. */
function pythonClient(url: string, mode: 'auto' | 'legacy'): Promise<{ protocolVersion: string; tools: string[]; results: Array<{ name: string; isError: boolean; structured: any }> }> {
  return new Promise((resolve, reject) => {
    execFile(testPython(), [SCRIPT, url, mode], { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error !== null) reject(new Error(`python client (${mode}) failed: ${stderr || error.message}`));
      else resolve(JSON.parse(stdout.trim().split('\n').at(-1)!));
    });
  });
}

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe.each([
  ['default mode (2026-07-28)', 'auto', '2026-07-28'],
  ['legacy mode (2025-11-25)', 'legacy', '2025-11-25'],
] as const)('the official Python SDK Client, %s', (_name, mode, version) => {
  it('negotiates the revision, lists the tools and calls every tool and operation', async () => {
    const seen = await pythonClient(server.mcpUrl.href, mode);
    expect(seen.protocolVersion).toBe(version);
    expect(seen.tools).toEqual(['health_check', 'process_data']);
    const [transform, validate, analyze, bad, health] = seen.results;
    expect(transform).toMatchObject({ isError: false, structured: { operation: 'transform', result: { userName: 'Ada', tags: ['a'] } } });
    expect(validate).toMatchObject({ isError: false, structured: { valid: true } });
    expect(analyze!.structured.analysis.numericFields['n[]']).toMatchObject({ count: 2, mean: 2 });
    expect(bad!.isError).toBe(true);
    expect(health).toMatchObject({ isError: false, structured: { status: 'ok' } });
    // The requests it sent in this revision were answered: nothing but 200s in the log.
    const statuses = server.logs.map((line) => JSON.parse(line).httpRequest?.status).filter((status) => status !== undefined);
    expect(statuses.every((status) => status === 200 || status === 202)).toBe(true);
  }, 90_000);
});
