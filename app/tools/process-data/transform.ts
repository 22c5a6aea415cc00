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
 * Two keys of one object that normalize alike, found deep in a value. The path to that object is
 * put together only if this is thrown, as it unwinds (each level adds its step), so that a call
 * that succeeds builds no path strings.
 */
class KeyCollision {
  /** The steps between the value's root and the object (`.key`, `[index]`), innermost first: each level adds its own as the error unwinds. */
  readonly steps: string[] = [];
  constructor(readonly message: string) {}
}

/**
 * Normalizes a JSON value, recursively: object keys to camelCase, strings trimmed,
 * `null` values dropped from objects and arrays. Two keys of one object that
 * normalize to the same name are an error rather than a silent overwrite; it names
 * the object by its path from `path` (array indexes as the client sent them).
 */
export function transform(value: unknown, path = 'data'): unknown {
  try {
    return normalize(value);
  } catch (error) {
    if (error instanceof KeyCollision) throw new ToolInputError(`${path}${error.steps.reverse().join('')}`, error.message);
    throw error;
  }
}

function normalize(value: unknown): unknown {
  if (typeof value === 'string') return value.trim();
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (let index = 0; index < value.length; index += 1) {
      const item: unknown = value[index];
      if (item !== null) items.push(step(item, index));
    }
    return items;
  }
  const normalized: Record<string, unknown> = {};
  const source = value as Record<string, unknown>;
  for (const key of Object.keys(source)) {
    const item = source[key];
    if (item === null) continue;
    const normalizedKey = normalizeKey(key);
    if (Object.hasOwn(normalized, normalizedKey)) {
      const earlier = Object.keys(source).find((other) => source[other] !== null && normalizeKey(other) === normalizedKey)!;
      throw new KeyCollision(`keys "${earlier}" and "${key}" both normalize to "${normalizedKey}"`);
    }
    normalized[normalizedKey] = step(item, key);
  }
  return normalized;
}

/** `normalize(item)`, adding the step to `item` (its key or index) to the path of a collision found inside it. */
function step(item: unknown, keyOrIndex: string | number): unknown {
  try {
    return normalize(item);
  } catch (error) {
    if (error instanceof KeyCollision) error.steps.push(typeof keyOrIndex === 'number' ? `[${keyOrIndex}]` : `.${keyOrIndex}`);
    throw error;
  }
}
