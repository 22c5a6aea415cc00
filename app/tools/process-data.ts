import { z } from 'zod';
import { analyze } from './process-data/analyze.js';
import { transform } from './process-data/transform.js';
import { validate } from './process-data/validate.js';
import { ToolInputError, type ToolDefinition } from './tool.js';

const processDataInput = z.object({
  data: z.json().describe('The JSON value to process: an object, array or scalar'),
  operation: z
    .enum(['transform', 'validate', 'analyze'])
    .describe(
      'transform: normalize (keys to camelCase, trim strings, drop nulls, recursively); validate: check data against `schema`; analyze: key types, depth and numeric statistics',
    ),
  schema: z
    .record(z.string(), z.json())
    .optional()
    .describe('The JSON Schema to validate against; required when operation is "validate"'),
});

const numericStats = z.object({
  count: z.number().int(),
  min: z.number(),
  max: z.number(),
  mean: z.number(),
});

const processDataOutput = z.object({
  operation: z.enum(['transform', 'validate', 'analyze']).describe('The operation that ran'),
  result: z.json().optional().describe('transform: the normalized value'),
  valid: z.boolean().optional().describe('validate: whether data matches the schema'),
  errors: z
    .array(z.object({ path: z.string(), keyword: z.string(), message: z.string() }))
    .optional()
    .describe('validate: every place where data breaks the schema, as JSON Pointers'),
  analysis: z
    .object({
      keysByType: z.record(z.string(), z.number().int()),
      totalKeys: z.number().int(),
      depth: z.number().int(),
      numericFields: z.record(z.string(), numericStats),
    })
    .optional()
    .describe('analyze: counts of keys by type, nesting depth, and min/max/mean per numeric field'),
});

/** `process_data({data, operation, schema?})`: transform, validate or analyze a JSON value. */
export const processDataTool: ToolDefinition<typeof processDataInput, typeof processDataOutput> = {
  name: 'process_data',
  title: 'Process JSON data',
  description:
    'Transforms (normalizes), validates against a JSON Schema, or analyzes a JSON value. Pure: reads nothing but its arguments and changes nothing.',
  inputSchema: processDataInput,
  outputSchema: processDataOutput,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: async ({ data, operation, schema }) => {
    switch (operation) {
      case 'transform':
        return { operation, result: transform(data) as z.infer<typeof processDataOutput>['result'] };
      case 'validate': {
        if (schema === undefined) throw new ToolInputError('schema', 'required when operation is "validate"');
        return { operation, ...(await validate(data, schema)) };
      }
      case 'analyze':
        return { operation, analysis: analyze(data) };
    }
  },
};
