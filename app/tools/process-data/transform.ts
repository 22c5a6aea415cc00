import camelCase from 'camelcase';
import { ToolInputError } from '../tool.js';

/** Keys seen recently and their camelCase forms: clients send the same keys call after call. */
const camelCaseOf = new Map<string, string>();
/** How many keys {@link camelCaseOf} holds before it starts over (it must not grow with what clients send). */
const MAX_REMEMBERED_KEYS = 2048;

/** `key` trimmed and in camelCase (the key itself when that leaves nothing). */
function normalizeKey(key: string): string {
  let normalized = camelCaseOf.get(key);
  if (normalized === undefined) {
    normalized = camelCase(key.trim()) || key;
    if (camelCaseOf.size >= MAX_REMEMBERED_KEYS) camelCaseOf.clear();
    camelCaseOf.set(key, normalized);
  }
  return normalized;
}

/**
 * Normalizes a JSON value, recursively: object keys to camelCase, strings trimmed,
 * `null` values dropped from objects and arrays. Two keys of one object that
 * normalize to the same name are an error rather than a silent overwrite.
 */
export function transform(value: unknown, path = 'data'): unknown {
  if (typeof value === 'string') return value.trim();
  if (Array.isArray(value)) {
    return value.filter((item) => item !== null).map((item, index) => transform(item, `${path}[${index}]`));
  }
  if (value !== null && typeof value === 'object') {
    const normalized: Record<string, unknown> = {};
    const origin = new Map<string, string>();
    for (const [key, item] of Object.entries(value)) {
      if (item === null) continue;
      const normalizedKey = normalizeKey(key);
      const earlier = origin.get(normalizedKey);
      if (earlier !== undefined) {
        throw new ToolInputError(path, `keys "${earlier}" and "${key}" both normalize to "${normalizedKey}"`);
      }
      origin.set(normalizedKey, key);
      normalized[normalizedKey] = transform(item, `${path}.${key}`);
    }
    return normalized;
  }
  return value;
}
