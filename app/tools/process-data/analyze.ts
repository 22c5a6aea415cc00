/** The JSON type names `analyze` counts. */
export type JsonTypeName = 'string' | 'number' | 'boolean' | 'null' | 'object' | 'array';

/** Summary statistics of one numeric field. */
export interface NumericFieldStats {
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
}

/** What `analyze` reports about a JSON value. */
export interface Analysis {
  /** How many object keys hold a value of each JSON type, over the whole value. */
  readonly keysByType: Record<JsonTypeName, number>;
  /** Total number of object keys. */
  readonly totalKeys: number;
  /** Nesting depth: 0 for a scalar, 1 for a flat object or array, and so on. */
  readonly depth: number;
  /** Per numeric field (path with array indices as `[]`): count, min, max, mean. */
  readonly numericFields: Record<string, NumericFieldStats>;
}

/** Counts keys by type, measures depth and summarizes every numeric field of `value`. */
export function analyze(value: unknown): Analysis {
  const keysByType: Record<JsonTypeName, number> = { string: 0, number: 0, boolean: 0, null: 0, object: 0, array: 0 };
  const sums = new Map<string, { count: number; min: number; max: number; total: number }>();
  let totalKeys = 0;

  const visit = (node: unknown, path: string): number => {
    if (typeof node === 'number') {
      const stats = sums.get(path) ?? { count: 0, min: node, max: node, total: 0 };
      sums.set(path, {
        count: stats.count + 1,
        min: Math.min(stats.min, node),
        max: Math.max(stats.max, node),
        total: stats.total + node,
      });
      return 0;
    }
    if (Array.isArray(node)) {
      return 1 + node.reduce<number>((deepest, item) => Math.max(deepest, visit(item, `${path}[]`)), 0);
    }
    if (node !== null && typeof node === 'object') {
      let deepest = 0;
      for (const [key, item] of Object.entries(node)) {
        totalKeys += 1;
        keysByType[typeName(item)] += 1;
        deepest = Math.max(deepest, visit(item, path === '' ? key : `${path}.${key}`));
      }
      return 1 + deepest;
    }
    return 0;
  };

  const depth = visit(value, '');
  const numericFields: Record<string, NumericFieldStats> = {};
  for (const [path, stats] of sums) {
    numericFields[path === '' ? '(root)' : path] = {
      count: stats.count,
      min: stats.min,
      max: stats.max,
      mean: stats.total / stats.count,
    };
  }
  return { keysByType, totalKeys, depth, numericFields };
}

function typeName(value: unknown): JsonTypeName {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value as JsonTypeName;
}
