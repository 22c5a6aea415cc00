import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callToolResultJson, errorResult, structuredResult } from '../../../app/tools/tool.js';

describe('callToolResultJson', () => {
  it('writes a structured result byte for byte as JSON.stringify does, for any JSON object (fast-check)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (value) => {
        const result = structuredResult(value as Record<string, unknown>);
        expect(callToolResultJson(result)).toBe(JSON.stringify(result));
      }),
      { numRuns: 500 },
    );
  });

  it('writes any other result as JSON.stringify does: errors, several contents, extra fields', () => {
    const results = [
      errorResult('Tool slow did not finish within 100 ms'),
      { content: [{ type: 'text' as const, text: '{"a":1}' }, { type: 'text' as const, text: 'more' }], structuredContent: { a: 1 } },
      { ...structuredResult({ a: 1 }), isError: false },
      { content: [{ type: 'text' as const, text: '{"a":1}', _meta: { x: 1 } }], structuredContent: { a: 1 } },
      // The same fields in another order: JSON.stringify follows the order.
      { structuredContent: { a: 1 }, content: [{ type: 'text' as const, text: '{"a":1}' }] },
      { content: [{ text: '{"a":1}', type: 'text' as const }], structuredContent: { a: 1 } },
    ];
    for (const result of results) expect(callToolResultJson(result)).toBe(JSON.stringify(result));
  });
});
