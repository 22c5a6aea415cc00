import type { StandardSchemaV1 } from '@modelcontextprotocol/client';
import type { Result } from '@modelcontextprotocol/server';
import { isJsonObject } from './json-object.js';
import type { ForwardedMethod } from './upstream.js';

/** One check of a forwarded result's shape: what is wrong with it, or `undefined`. */
type ShapeCheck = (result: Record<string, unknown>) => string | undefined;

/** `field` is an array of objects each with the string `key`: the first one that is not, named. */
function arrayOfObjectsWith(result: Record<string, unknown>, field: string, key: string): string | undefined {
  const items = result[field];
  if (!Array.isArray(items)) return `${field} is not an array`;
  for (let index = 0; index < items.length; index += 1) {
    const item: unknown = items[index];
    if (!isJsonObject(item) || typeof item[key] !== 'string') return `${field}[${index}] has no string ${key}`;
  }
  return undefined;
}

/**
 * What each forwarded method's result must be, as far as the bridge relies on it: the lists the
 * client reads (a tool result's `content` blocks with their `type`, a read's `contents` with their
 * `uri`, a prompt's `messages` with their `role`), and `isError` a boolean. The client's own SDK
 * validates each block in full against the revision it speaks; the bridge checks what it must to
 * name a server whose answer is not a result at all, at a fraction of a full schema's cost per call.
 */
const CHECKS: Record<ForwardedMethod, ShapeCheck> = {
  'tools/call': (result) =>
    arrayOfObjectsWith(result, 'content', 'type') ?? (result.isError === undefined || typeof result.isError === 'boolean' ? undefined : 'isError is not a boolean'),
  'resources/read': (result) => arrayOfObjectsWith(result, 'contents', 'uri'),
  'prompts/get': (result) => arrayOfObjectsWith(result, 'messages', 'role'),
};

/**
 * A forwarded answer's result as the client gets it, or what is wrong with it. On a connection
 * negotiated at 2026-07-28 the result says it is `complete` (`resultType`, which is dropped here as
 * the SDK drops it): a server asking for input (`input_required`) is refused, since the bridge does
 * not relay a server's requests to the client.
 */
export function checkForwardedResult(method: ForwardedMethod, value: unknown, modern: boolean): { readonly result: Result } | string {
  if (!isJsonObject(value)) return 'it is not an object';
  let result = value;
  if (modern) {
    const { resultType, ...rest } = value;
    if (resultType === 'input_required') return 'it asks the client for input (input_required), which the bridge does not relay';
    if (resultType !== 'complete') return `its resultType is ${JSON.stringify(resultType)}, not "complete" (a 2026-07-28 server must say)`;
    result = rest;
  }
  const problem = CHECKS[method](result);
  return problem === undefined ? { result: result as Result } : problem;
}

/** The same check as a Standard Schema, for the SDK client's `request()` (where the SDK has decoded the revision). */
function shapeSchema(method: ForwardedMethod): StandardSchemaV1<unknown, Result> {
  return {
    '~standard': {
      version: 1,
      vendor: 'mcp-multicloud',
      validate: (value) => {
        const checked = checkForwardedResult(method, value, false);
        return typeof checked === 'string' ? { issues: [{ message: checked }] } : { value: checked.result };
      },
    },
  };
}

/**
 * The result schema the SDK client checks each forwarded method's answer with (an HTTP server's).
 * Given explicitly, it also spares each call the SDK's own lookup of the method's schema.
 */
export const FORWARDED_RESULT_SCHEMAS: Record<ForwardedMethod, StandardSchemaV1<unknown, Result>> = {
  'tools/call': shapeSchema('tools/call'),
  'resources/read': shapeSchema('resources/read'),
  'prompts/get': shapeSchema('prompts/get'),
};
