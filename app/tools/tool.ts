import type { CallToolResult, ToolAnnotations } from '@modelcontextprotocol/server';
import type * as z from 'zod/mini';
import type { ToolSchema } from './schema.js';
import type { HealthReporter } from '../runtime.js';

/** What a tool may use while it runs. Built per process, never per client. */
export interface ToolContext {
  /** The process's health facts. */
  readonly health: HealthReporter;
  /** How long one call may run before it is answered with an error result, in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * One MCP tool: its public description, zod input and output schemas, and the
 * function that serves a call. Each tool lives in a file of its own and is listed
 * once in `registry.ts`.
 */
export interface ToolDefinition<Input extends ToolSchema = ToolSchema, Output extends ToolSchema = ToolSchema> {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly inputSchema: Input;
  readonly outputSchema: Output;
  readonly annotations: ToolAnnotations;
  /**
   * Serves one call with arguments that already passed `inputSchema`. Returns the
   * structured result; a thrown {@link ToolInputError} becomes an `isError` result.
   */
  readonly run: (input: z.infer<Input>, context: ToolContext) => Promise<z.infer<Output>> | z.infer<Output>;
}

/** A problem with a tool's arguments that the schema alone cannot catch. */
export class ToolInputError extends Error {
  constructor(
    /** The argument at fault, as a dotted path. */
    readonly field: string,
    message: string,
  ) {
    super(`Invalid argument "${field}": ${message}`);
    this.name = 'ToolInputError';
  }
}

/** The `tools/call` result for a structured value: JSON text plus `structuredContent`. */
export function structuredResult(value: Record<string, unknown>): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value };
}

/**
 * A `tools/call` result as JSON, byte for byte what `JSON.stringify(result)` writes. A structured
 * result (what {@link structuredResult} builds: its text is the JSON of its `structuredContent`)
 * reuses that text for `structuredContent` instead of serializing the value a second time.
 */
export function callToolResultJson(result: CallToolResult): string {
  const first = result.content[0];
  // Exactly the shape structuredResult builds, keys in its order (JSON.stringify writes them in that order).
  const structured =
    first?.type === 'text' && result.content.length === 1 && sameKeys(result, STRUCTURED_RESULT_KEYS) && sameKeys(first, TEXT_CONTENT_KEYS);
  return structured ? `{"content":[{"type":"text","text":${JSON.stringify(first.text)}}],"structuredContent":${first.text}}` : JSON.stringify(result);
}

const STRUCTURED_RESULT_KEYS = ['content', 'structuredContent'];
const TEXT_CONTENT_KEYS = ['type', 'text'];

/** Whether an object has exactly these keys, in this order. */
function sameKeys(value: object, keys: readonly string[]): boolean {
  const own = Object.keys(value);
  return own.length === keys.length && own.every((key, index) => key === keys[index]);
}

/** The `tools/call` result for a failed call: `isError` with a message the model can act on. */
export function errorResult(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}
