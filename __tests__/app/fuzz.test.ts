import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app/create-app.js';
import { HealthReporter } from '../../app/runtime.js';
import { MCP_HEADERS } from '../support/node-server.js';

const app = createApp({
  health: new HealthReporter({ version: 'fuzz', platform: 'local', region: 'local', startedAtMs: Date.now() }),
  allowedHostnames: ['localhost'],
  rateLimit: { requestsPerMinute: 1_000_000, burst: 1_000_000 },
  log: () => undefined,
});

const METHODS = ['initialize', 'ping', 'tools/list', 'tools/call', 'server/discover', 'notifications/initialized', 'resources/list', 'x'];
const TOOLS = ['process_data', 'health_check', 'nope'];

const params = fc.oneof(
      fc.record(
        {
          name: fc.oneof(fc.constantFrom(...TOOLS), fc.jsonValue()),
          arguments: fc.oneof(
            fc.record({ operation: fc.constantFrom('transform', 'validate', 'analyze', 'x'), data: fc.jsonValue(), schema: fc.jsonValue() }, { requiredKeys: [] }),
            fc.jsonValue(),
          ),
          protocolVersion: fc.constantFrom('2025-06-18', '2025-11-25', '2026-07-28', 'x'),
          capabilities: fc.jsonValue(),
          clientInfo: fc.jsonValue(),
          _meta: fc.jsonValue(),
        },
        { requiredKeys: [] },
      ),
      fc.jsonValue(),
    );

/** Mostly well-formed envelopes with random params, so most requests reach the MCP layer. */
const wellFormed = fc.record({
  jsonrpc: fc.constant('2.0'),
  id: fc.oneof(fc.integer(), fc.string()),
  method: fc.constantFrom(...METHODS),
  params,
}, { requiredKeys: ['jsonrpc', 'id', 'method'] });

/** JSON-RPC-shaped messages with every field allowed to be wrong. */
const anyShape = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant('2.0'), fc.constant('1.0'), fc.jsonValue()),
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
    method: fc.oneof(fc.constantFrom(...METHODS), fc.string(), fc.jsonValue()),
    params,
  },
  { requiredKeys: [] },
);

const message = fc.oneof({ weight: 4, arbitrary: wellFormed }, { weight: 1, arbitrary: anyShape });

/** Bodies: well-formed messages, arbitrary JSON, and byte-level mutations of both. */
const body = fc.oneof(
  message.map((value) => JSON.stringify(value)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.tuple(message.map((value) => JSON.stringify(value)), fc.nat(), fc.string({ maxLength: 3 })).map(
    ([text, at, insert]) => text.slice(0, at % (text.length + 1)) + insert + text.slice(at % (text.length + 1)),
  ),
  fc.string(),
);

const versionHeader = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(undefined, '2025-06-18', '2025-11-25') },
  { weight: 1, arbitrary: fc.constantFrom('2026-07-28', 'garbage') },
);

describe('fuzzing POST /mcp with random and mutated JSON-RPC', () => {
  it('never answers 5xx; every answer is a 2xx, or a 4xx, and any JSON-RPC error is well-formed', async () => {
    let reachedTools = 0;
    await fc.assert(
      fc.asyncProperty(body, versionHeader, async (text, version) => {
        const res = await app.request('/mcp', {
          method: 'POST',
          headers: { ...MCP_HEADERS, host: 'localhost', ...(version === undefined ? {} : { 'mcp-protocol-version': version }) },
          body: text,
        });
        expect(res.status).toBeLessThan(500);
        const raw = await res.text();
        if (raw === '') return;
        const json = JSON.parse(raw);
        if (json.result !== undefined || (json.error !== undefined && json.id !== null)) reachedTools += 1;
        if (json.error !== undefined) {
          expect(json.jsonrpc).toBe('2.0');
          expect(Number.isInteger(json.error.code)).toBe(true);
          expect(typeof json.error.message).toBe('string');
        } else {
          expect(res.status).toBeLessThan(300);
          expect(json).toHaveProperty('result');
        }
      }),
      { numRuns: 400 },
    );
    // The generator must get past the envelope checks often enough to exercise the MCP layer.
    expect(reachedTools).toBeGreaterThan(40);
  });
});
