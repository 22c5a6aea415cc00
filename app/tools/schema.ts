import * as z from 'zod/mini';
import { toJSONSchema } from 'zod/v4/core';

/** A tool's input or output schema: a zod object that can also render itself as JSON Schema. */
export type ToolSchema<Shape extends z.core.$ZodLooseShape = z.core.$ZodLooseShape> = z.ZodMiniObject<Shape>;

/**
 * A zod object schema for a tool, built with `zod/mini` (a fraction of classic zod's
 * size, which matters for Lambda cold starts) and given the Standard JSON Schema face
 * (`~standard.jsonSchema`) that the MCP SDK and the fast path render `tools/list` from.
 */
export function toolSchema<Shape extends z.core.$ZodLooseShape>(shape: Shape): ToolSchema<Shape> {
  const schema = z.object(shape);
  const standard = schema['~standard'] as typeof schema['~standard'] & { jsonSchema?: unknown };
  standard.jsonSchema = {
    input: (options?: { target?: string }) => toJSONSchema(schema, { ...(options as object), io: 'input' }),
    output: (options?: { target?: string }) => toJSONSchema(schema, { ...(options as object), io: 'output' }),
  };
  return schema;
}

/** A description, attached the `zod/mini` way (a check that records metadata). */
export const describe = z.describe;
