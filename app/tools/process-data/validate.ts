import type { ErrorObject } from 'ajv';
import { ToolInputError } from '../tool.js';

/** One place where `data` breaks the schema. */
export interface ValidationIssue {
  /** JSON Pointer to the value at fault (`/` for the root). */
  readonly path: string;
  /** The JSON Schema keyword that failed, such as `required` or `type`. */
  readonly keyword: string;
  readonly message: string;
}

/** The outcome of validating `data` against a JSON Schema: every issue, not only the first. */
export interface ValidationOutcome {
  readonly valid: boolean;
  readonly errors: ValidationIssue[];
}

/**
 * Validates `data` against `schema` (JSON Schema draft-07 keywords and the standard formats),
 * reporting every error path. Each call compiles with a fresh validator so that schemas
 * (and their `$id`s) sent by one client never meet those of another.
 */
export async function validate(data: unknown, schema: Record<string, unknown>): Promise<ValidationOutcome> {
  // Loaded on first use: ajv is large, and most calls (and every cold start) never need it.
  const [{ Ajv }, { default: addFormats }] = await Promise.all([import('ajv'), import('ajv-formats')]);
  const ajv = addFormats.default(new Ajv({ allErrors: true, strict: false, logger: false }));
  let check;
  try {
    check = ajv.compile(schema);
  } catch (error) {
    throw new ToolInputError('schema', `not a valid JSON Schema: ${(error as Error).message}`);
  }
  const valid = check(data);
  return { valid, errors: (check.errors ?? []).map(toIssue) };
}

function toIssue(error: ErrorObject): ValidationIssue {
  const missing = error.keyword === 'required' ? `/${String(error.params.missingProperty)}` : '';
  return {
    path: `${error.instancePath}${missing}` || '/',
    keyword: error.keyword,
    message: error.message ?? error.keyword,
  };
}
