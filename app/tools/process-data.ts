import * as z from 'zod/mini';
import { analyze } from './process-data/analyze.js';
import { transform } from './process-data/transform.js';
import { validate } from './process-data/validate.js';
import { describe, jsonValue, toolSchema } from './schema.js';
import { ToolInputError, type ToolDefinition } from './tool.js';

const OPERATIONS = ['transform', 'validate', 'analyze'] as const;

const processDataInput = toolSchema({
  data: jsonValue().check(describe('The JSON value to process: an object, array or scalar')),
  operation: z
    .enum(OPERATIONS)
    .check(
      describe(
        'transform: normalize (keys to camelCase, trim strings, drop nulls, recursively); validate: check data against `schema`; analyze: key types, depth and numeric statistics',
      ),
    ),
  schema: z.optional(
    z.record(z.string(), jsonValue()).check(describe('The JSON Schema to validate against; required when operation is "validate"')),
  ),
});

const numericStats = z.object({ count: z.int(), min: z.number(), max: z.number(), mean: z.number() });

const processDataOutput = toolSchema({
  operation: z.enum(OPERATIONS).check(describe('The operation that ran')),
  result: z.optional(jsonValue().check(describe('transform: the normalized value'))),
  valid: z.optional(z.boolean().check(describe('validate: whether data matches the schema'))),
  errors: z.optional(
    z
      .array(z.object({ path: z.string(), keyword: z.string(), message: z.string() }))
      .check(describe('validate: every place where data breaks the schema, as JSON Pointers')),
  ),
  analysis: z.optional(
    z
      .object({
        keysByType: z.record(z.string(), z.int()),
        totalKeys: z.int(),
        depth: z.int(),
        numericFields: z.record(z.string(), numericStats),
      })
      .check(describe('analyze: counts of keys by type, nesting depth, and min/max/mean per numeric field')),
  ),
});

type ProcessDataOutput = z.infer<typeof processDataOutput>;

/** `process_data({data, operation, schema?})`: transform, validate or analyze a JSON value. */
export const processDataTool: ToolDefinition<typeof processDataInput, typeof processDataOutput> = {
  name: 'process_data',
  title: 'Process JSON data',
  description:
    'Transforms (normalizes), validates against a JSON Schema, or analyzes a JSON value. Pure: reads nothing but its arguments and changes nothing.',
  inputSchema: processDataInput,
  outputSchema: processDataOutput,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  // Synchronous but for validate (which loads its JSON Schema validator on first use), so that the
  // other operations are answered without a timer (see run-tool.ts).
  run: ({ data, operation, schema }) => {
    switch (operation) {
      case 'transform':
        return { operation, result: transform(data) as ProcessDataOutput['result'] };
      case 'validate': {
        if (schema === undefined) throw new ToolInputError('schema', 'required when operation is "validate"');
        return validate(data, schema).then((outcome) => ({ operation, ...outcome }));
      }
      case 'analyze':
        return { operation, analysis: analyze(data) };
    }
  },
};
