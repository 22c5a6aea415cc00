// Smoke test of a deployed (or local) bridge with the official MCP client:
//   npm run smoke -- --url https://mcp.example.com [--direct https://<backend> ...]
// In token auth mode, MCP_SMOKE_TOKEN holds the bearer token to use.
// Checks /health, then initialize, tools/list, and a call of every tool and operation.
// Exits 0 when everything passed; otherwise prints one line naming the first failure and exits 1.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';

/** One failed expectation, with the URL it was about. */
export class SmokeFailure extends Error {
  override name = 'SmokeFailure';
}

function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new SmokeFailure(message);
}

/** The calls every healthy bridge must answer, and what each result must contain. */
const TOOL_CALLS: Array<{ name: string; arguments: Record<string, unknown>; expect: (result: any) => boolean }> = [
  { name: 'process_data', arguments: { operation: 'transform', data: { smoke_test: ' ok ' } }, expect: (r) => r.result?.smokeTest === 'ok' },
  { name: 'process_data', arguments: { operation: 'validate', data: { a: 1 }, schema: { type: 'object', required: ['a'] } }, expect: (r) => r.valid === true },
  { name: 'process_data', arguments: { operation: 'analyze', data: { n: [1, 3] } }, expect: (r) => r.analysis?.numericFields?.['n[]']?.mean === 2 },
  { name: 'health_check', arguments: {}, expect: (r) => r.status === 'ok' },
];

/** Options of {@link smokeCheck}. */
export interface SmokeOptions {
  /**
   * How long the whole check may take, in milliseconds.
   * @default 15000
   */
  readonly timeoutMs?: number;
  /**
   * A bearer token for the MCP calls (an environment in token auth mode).
   * @default - no Authorization header
   */
  readonly token?: string;
}

/** Checks one base URL; resolves with the platform that answered, throws {@link SmokeFailure}. */
export async function smokeCheck(baseUrl: string, options: SmokeOptions = {}): Promise<{ platform: string }> {
  const base = new URL(baseUrl);
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  const health = await fetch(new URL('/health', base), { signal }).catch((error: Error) => {
    throw new SmokeFailure(`${base.origin}/health: ${error.message}`);
  });
  check(health.status === 200, `${base.origin}/health: status ${health.status}`);
  const facts = (await health.json()) as { status?: string; platform?: string };
  check(facts.status === 'ok', `${base.origin}/health: status "${facts.status}"`);

  const client = new Client({ name: 'mcp-bridge-smoke', version: '1.0.0' });
  const mcpUrl = new URL('/mcp', base);
  try {
    await client.connect(new StreamableHTTPClientTransport(mcpUrl, { requestInit: { signal, headers } })).catch((error: Error) => {
      throw new SmokeFailure(`${mcpUrl.href}: initialize failed: ${error.message}`);
    });
    const { tools } = await client.listTools();
    for (const name of new Set(TOOL_CALLS.map((call) => call.name))) {
      check(tools.some((tool) => tool.name === name), `${mcpUrl.href}: tools/list lacks ${name}`);
    }
    for (const call of TOOL_CALLS) {
      const label = `${call.name}${call.arguments.operation ? ` ${call.arguments.operation}` : ''}`;
      const result = await client.callTool({ name: call.name, arguments: call.arguments }).catch((error: Error) => {
        throw new SmokeFailure(`${mcpUrl.href}: ${label} failed: ${error.message}`);
      });
      check(!result.isError && call.expect(result.structuredContent), `${mcpUrl.href}: ${label} returned ${JSON.stringify(result.structuredContent ?? result.content)}`);
    }
  } finally {
    await client.close().catch(() => undefined);
  }
  return { platform: facts.platform ?? 'unknown' };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { url: { type: 'string' }, direct: { type: 'string', multiple: true, default: [] } },
  });
  if (values.url === undefined) {
    console.error('smoke: --url is required (e.g. --url https://mcp.example.com)');
    process.exit(2);
  }
  for (const url of [values.url, ...values.direct]) {
    try {
      const { platform } = await smokeCheck(url, process.env.MCP_SMOKE_TOKEN ? { token: process.env.MCP_SMOKE_TOKEN } : {});
      console.log(`smoke: ${url} ok (answered by ${platform})`);
    } catch (error) {
      console.error(`smoke: FAILED: ${(error as Error).message}`);
      process.exit(1);
    }
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
