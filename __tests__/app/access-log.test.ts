import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { logLine } from '../../app/http/access-log.js';
import type { RequestRecord } from '../../app/http/request-record.js';

/** The line as the fields' own JSON.stringify writes it: what logLine must match byte for byte. */
function expectedLine(record: RequestRecord): string {
  const label = record.toolName ?? record.mcpMethod;
  return JSON.stringify({
    severity: record.status >= 500 ? 'ERROR' : record.status >= 400 ? 'WARNING' : 'INFO',
    message: `${record.method} ${record.path} ${record.status}${label === undefined ? '' : ` ${label}`}`,
    httpRequest: { requestMethod: record.method, requestUrl: record.path, status: record.status, latency: `${(record.durationMs / 1000).toFixed(6)}s` },
    requestId: record.requestId,
    mcpMethod: record.mcpMethod,
    toolName: record.toolName,
  });
}

/** Strings of every kind a client can put in a path, a method or tool name: quotes, backslashes, controls, lone and paired surrogates. */
const anyString = fc.oneof(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\ud800', '\udfff', '😀', 'tools/call'));

describe('logLine', () => {
  it('writes exactly what JSON.stringify writes for the record, whatever the strings hold', () => {
    fc.assert(
      fc.property(
        fc.record({
          requestId: anyString,
          method: fc.constantFrom('POST', 'GET', 'DELETE', 'OPTIONS'),
          path: anyString,
          route: fc.constantFrom('/mcp', 'unmatched'),
          status: fc.integer({ min: 100, max: 599 }),
          durationMs: fc.double({ min: 0, max: 1e7, noNaN: true }),
          mcpMethod: fc.option(anyString, { nil: undefined }),
          toolName: fc.option(anyString, { nil: undefined }),
        }),
        (record) => {
          const line = logLine(record);
          expect(line).toBe(expectedLine(record));
          expect(JSON.parse(line).httpRequest.requestUrl).toBe(record.path);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('words a tools/call line as Cloud Logging reads it', () => {
    const record = { requestId: 'r-1', method: 'POST', path: '/mcp', route: '/mcp', status: 200, durationMs: 1.5, mcpMethod: 'tools/call', toolName: 'process_data' };
    expect(JSON.parse(logLine(record))).toEqual({
      severity: 'INFO',
      message: 'POST /mcp 200 process_data',
      httpRequest: { requestMethod: 'POST', requestUrl: '/mcp', status: 200, latency: '0.001500s' },
      requestId: 'r-1',
      mcpMethod: 'tools/call',
      toolName: 'process_data',
    });
  });
});
