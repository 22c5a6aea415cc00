import { describe, expect, it } from 'vitest';
import { analyze } from '../../../app/tools/process-data/analyze.js';
import { transform } from '../../../app/tools/process-data/transform.js';
import { validate } from '../../../app/tools/process-data/validate.js';
import { ToolInputError } from '../../../app/tools/tool.js';

describe('transform', () => {
  it('camelCases keys, trims strings and drops nulls, recursively', () => {
    expect(
      transform({
        first_name: '  Ada ',
        'Last-Name': 'Lovelace',
        middle: null,
        home_address: { street_name: ' 1 Main St ', zip: null },
        tags: [' a ', null, { tag_id: 3 }],
      }),
    ).toEqual({
      firstName: 'Ada',
      lastName: 'Lovelace',
      homeAddress: { streetName: '1 Main St' },
      tags: ['a', { tagId: 3 }],
    });
  });

  it('leaves scalars other than strings as they are', () => {
    expect(transform(42)).toBe(42);
    expect(transform(true)).toBe(true);
    expect(transform(' x ')).toBe('x');
  });

  it('refuses two keys that normalize to the same name, naming them', () => {
    expect(() => transform({ outer: { user_id: 1, userId: 2 } })).toThrowError(
      new ToolInputError('data.outer', 'keys "user_id" and "userId" both normalize to "userId"'),
    );
  });

  it('names the object with the clashing keys by its path, array indexes as the client sent them (nulls dropped before them still count)', () => {
    expect(() => transform({ rows: [null, { tags: [{ a_b: 1 }, null, { 'a-b': 1, aB: 2 }] }] })).toThrowError(
      new ToolInputError('data.rows[1].tags[2]', 'keys "a-b" and "aB" both normalize to "aB"'),
    );
  });

  it('takes keys that are names of Object.prototype members as plain keys', () => {
    expect(transform({ constructor: 1, to_string: ' x ', has_own_property: null })).toEqual({ constructor: 1, toString: 'x' });
  });

  it('does not count a key whose value is null as a clash', () => {
    expect(transform({ user_id: null, userId: 2 })).toEqual({ userId: 2 });
  });
});

describe('validate', () => {
  const schema = {
    type: 'object',
    required: ['id', 'email'],
    properties: { id: { type: 'integer' }, email: { type: 'string', format: 'email' }, tags: { type: 'array', items: { type: 'string' } } },
  };

  it('accepts matching data', async () => {
    expect(await validate({ id: 1, email: 'a@b.c' }, schema)).toEqual({ valid: true, errors: [] });
  });

  it('reports every error path, not only the first', async () => {
    const outcome = await validate({ id: 'one', email: 'not-an-email', tags: ['ok', 7] }, schema);
    expect(outcome.valid).toBe(false);
    expect(outcome.errors.map((e) => [e.path, e.keyword])).toEqual(
      expect.arrayContaining([
        ['/email', 'format'],
        ['/id', 'type'],
        ['/tags/1', 'type'],
      ]),
    );
    expect(outcome.errors).toHaveLength(3);
  });

  it('names the schema argument when the schema itself is invalid', async () => {
    await expect(validate({}, { type: 'no-such-type' })).rejects.toThrowError(/Invalid argument "schema"/);
  });

  it('keeps schemas of different calls apart, even with the same $id', async () => {
    const first = await validate(1, { $id: 'https://example.com/s', type: 'number' });
    const second = await validate(1, { $id: 'https://example.com/s', type: 'string' });
    expect(first.valid).toBe(true);
    expect(second.valid).toBe(false);
  });
});

describe('analyze', () => {
  it('counts keys by type, measures depth and summarizes numeric fields', () => {
    const analysis = analyze({
      name: 'x',
      active: true,
      deleted: null,
      items: [
        { price: 10, qty: 1 },
        { price: 30, qty: 3 },
      ],
      meta: { score: 0.5 },
    });
    expect(analysis.keysByType).toEqual({ string: 1, number: 5, boolean: 1, null: 1, object: 1, array: 1 });
    expect(analysis.totalKeys).toBe(10);
    expect(analysis.depth).toBe(3);
    expect(analysis.numericFields).toEqual({
      'items[].price': { count: 2, min: 10, max: 30, mean: 20 },
      'items[].qty': { count: 2, min: 1, max: 3, mean: 2 },
      'meta.score': { count: 1, min: 0.5, max: 0.5, mean: 0.5 },
    });
  });

  it('describes a scalar', () => {
    expect(analyze(7)).toMatchObject({ depth: 0, totalKeys: 0, numericFields: { '(root)': { count: 1, mean: 7 } } });
  });
});
