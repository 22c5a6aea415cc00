import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isJsonValue, jsonValue, toolSchema } from '../../../app/tools/schema.js';

const zodJson = z.json();

describe('jsonValue()', () => {
  it('accepts exactly what z.json() accepts, for any value', () => {
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true, withSparseArray: true }), (value) => {
        expect(isJsonValue(value)).toBe(zodJson.safeParse(value).success);
      }),
      { numRuns: 2000 },
    );
  });

  it('accepts every JSON value, and refuses what JSON cannot carry, however deep', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(jsonValue().safeParse(value).success).toBe(true);
      }),
    );
    for (const bad of [undefined, Number.NaN, Infinity, () => 1, new Date(0), new Map(), 1n, { a: [1, { b: undefined }] }, [Symbol('s')]]) {
      expect(jsonValue().safeParse(bad).success).toBe(false);
    }
  });

  it('is required in a tool schema, and renders as any value with its description', () => {
    const schema = toolSchema({ data: jsonValue().check(z.describe('the data')) });
    expect(schema.safeParse({}).error?.issues).toEqual([
      expect.objectContaining({ path: ['data'], message: 'Invalid input: expected a JSON value' }),
    ]);
    const rendered = (schema['~standard'] as unknown as { jsonSchema: { input: (o: object) => Record<string, unknown> } }).jsonSchema.input({
      target: 'draft-2020-12',
    });
    expect(rendered).toMatchObject({ properties: { data: { description: 'the data' } }, required: ['data'] });
    expect(Object.keys((rendered.properties as Record<string, object>).data!)).toEqual(['description']);
  });
});

describe('toolSchema()', () => {
  const shape = {
    data: jsonValue(),
    operation: z.enum(['transform', 'validate']),
    schema: z.optional(z.record(z.string(), jsonValue())),
    limit: z.optional(z.int().check(z.minimum(1))),
  };

  it("parses with zod's compiled object parser, not zod/mini's interpreted one", () => {
    expect(toolSchema(shape)._zod.traits.has('$ZodObjectJIT')).toBe(true);
    expect(z.object(shape)._zod.traits.has('$ZodObjectJIT')).toBe(false);
  });

  it('answers exactly as z.object() does, data and issues alike, for generated arguments', () => {
    const compiled = toolSchema(shape);
    const interpreted = z.object(shape);
    const field = <T>(arbitrary: fc.Arbitrary<T>) => fc.oneof(arbitrary, fc.anything());
    const argumentsLike = fc.oneof(
      fc.record(
        {
          data: field(fc.jsonValue()),
          operation: field(fc.constantFrom('transform', 'validate', 'analyze')),
          schema: field(fc.dictionary(fc.string(), fc.jsonValue())),
          limit: field(fc.integer({ min: -2, max: 3 })),
          extra: fc.anything(),
        },
        { requiredKeys: [] },
      ),
      fc.anything(),
    );
    fc.assert(
      fc.property(argumentsLike, (value) => {
        const [a, b] = [compiled.safeParse(value), interpreted.safeParse(value)];
        expect(a.success).toBe(b.success);
        if (a.success && b.success) expect(a.data).toStrictEqual(b.data);
        else expect(a.error?.issues).toStrictEqual(b.error?.issues);
      }),
      { numRuns: 2000 },
    );
  });
});
