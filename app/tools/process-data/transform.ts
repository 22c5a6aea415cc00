import camelCase from 'camelcase';
import { ToolInputError } from '../tool.js';

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
      const normalizedKey = camelCase(key.trim()) || key;
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
