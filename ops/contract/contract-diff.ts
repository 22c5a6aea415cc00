// What changed between two contracts of a server, each change classified: breaking (a client that
// cached the old tools/list, or a caller written against it, can now fail) or compatible. The kinds
// and their verdicts are the table in the README ("What counts as breaking"); a test holds them equal.
import canonicalize from 'canonicalize';
import type { PromptContract, ServerContract, ToolContract } from '../../app/contract/contract.js';

/** Every kind of change the classifier names, and whether it is breaking. */
export const CHANGE_KINDS = {
  'tool removed': true,
  'tool added': false,
  'required argument removed': true,
  'optional argument removed': false,
  'optional argument removed from a closed schema': true,
  'required argument added': true,
  'optional argument added': false,
  'argument made required': true,
  'argument made optional': false,
  'argument type narrowed': true,
  'argument type widened': false,
  'argument enum narrowed': true,
  'argument enum widened': false,
  'argument bound tightened': true,
  'argument bound loosened': false,
  'argument schema changed otherwise': true,
  'output schema removed': true,
  'output schema added': false,
  'output field removed': true,
  'output field added': false,
  'output field type changed': true,
  'tool no longer read-only or now destructive': true,
  'annotations changed otherwise': false,
  'title or description changed': false,
  'resource removed': true,
  'resource added': false,
  'resource template removed': true,
  'resource template added': false,
  'resource changed': false,
  'prompt removed': true,
  'prompt added': false,
  'prompt argument made required or added required': true,
  'prompt changed otherwise': false,
} as const satisfies Record<string, boolean>;

/** A kind of change of {@link CHANGE_KINDS}. */
export type ChangeKind = keyof typeof CHANGE_KINDS;

/** One change of a server's contract. */
export interface ContractChange {
  /** What changed: `tool create_entities`, `resource file:///a`, `prompt summarize`. */
  readonly subject: string;
  readonly kind: ChangeKind;
  /** Where in it, when inside a tool's arguments or output: `arguments.entities[].name`. */
  readonly path?: string;
  /** In words: `type string → integer`. */
  readonly detail?: string;
  readonly breaking: boolean;
}

type Schema = Readonly<Record<string, unknown>>;

const same = (a: unknown, b: unknown) => canonicalize(a) === canonicalize(b);

const asSchema = (value: unknown): Schema => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Schema) : {});

const ALL_TYPES = ['array', 'boolean', 'integer', 'null', 'number', 'object', 'string'];

/** The JSON types a schema's `type` admits (all of them when it says none). */
function typesOf(schema: Schema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  if (Array.isArray(type)) return type.filter((entry): entry is string => typeof entry === 'string');
  return ALL_TYPES;
}

/** Whether a set of types admits every value of `type` (`number` admits `integer`). */
const admits = (types: readonly string[], type: string) => types.includes(type) || (type === 'integer' && types.includes('number'));

/** Lower bounds a larger value of which tightens, and upper bounds a smaller value of which tightens. */
const LOWER_BOUNDS = ['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties'] as const;
const UPPER_BOUNDS = ['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/** Keywords that only describe: a change of them is a change of words. */
const WORDS = new Set(['title', 'description', 'examples', 'default', '$comment']);

/** Keywords compared on their own (everything else compared as a whole). */
const HANDLED = new Set(['type', 'enum', 'properties', 'required', 'items', ...LOWER_BOUNDS, ...UPPER_BOUNDS, ...WORDS]);

const label = (path: string, name: string) => `${path}.${name}`;

interface Found {
  readonly kind: ChangeKind;
  readonly path: string;
  readonly detail?: string;
}

/** What changed in an input schema (what a caller sends), at `path`: arguments the caller may no longer send, or must now send. */
function inputChanges(before: Schema, after: Schema, path: string): Found[] {
  const found: Found[] = [];
  const beforeTypes = typesOf(before);
  const afterTypes = typesOf(after);
  if (!same([...beforeTypes].sort(), [...afterTypes].sort())) {
    const narrowed = beforeTypes.some((type) => !admits(afterTypes, type));
    found.push({ kind: narrowed ? 'argument type narrowed' : 'argument type widened', path, detail: `type ${beforeTypes.join('|')} → ${afterTypes.join('|')}` });
  }
  if (!same(before.enum, after.enum)) {
    const old = Array.isArray(before.enum) ? before.enum : undefined;
    const now = Array.isArray(after.enum) ? after.enum : undefined;
    const narrowed = now !== undefined && (old === undefined || old.some((value) => !now.some((kept) => same(kept, value))));
    found.push({ kind: narrowed ? 'argument enum narrowed' : 'argument enum widened', path, detail: `enum ${JSON.stringify(old ?? 'any')} → ${JSON.stringify(now ?? 'any')}` });
  }
  for (const [bounds, tighter] of [
    [LOWER_BOUNDS, (old: number, now: number) => now > old],
    [UPPER_BOUNDS, (old: number, now: number) => now < old],
  ] as const) {
    for (const bound of bounds) {
      const old = before[bound];
      const now = after[bound];
      if (same(old, now)) continue;
      const tightened = typeof now === 'number' && (typeof old !== 'number' || tighter(old, now));
      found.push({ kind: tightened ? 'argument bound tightened' : 'argument bound loosened', path, detail: `${bound} ${old ?? 'none'} → ${now ?? 'none'}` });
    }
  }
  const otherwise = (schema: Schema) => Object.fromEntries(Object.entries(schema).filter(([key]) => !HANDLED.has(key)));
  if (!same(otherwise(before), otherwise(after))) {
    const keys = [...new Set([...Object.keys(otherwise(before)), ...Object.keys(otherwise(after))])].filter((key) => !same(before[key], after[key]));
    found.push({ kind: 'argument schema changed otherwise', path, detail: `${keys.join(', ')} changed` });
  }
  const words = [...WORDS].filter((key) => !same(before[key], after[key]));
  if (words.length > 0) found.push({ kind: 'title or description changed', path, detail: `${words.join(', ')} changed` });

  const beforeProperties = asSchema(before.properties);
  const afterProperties = asSchema(after.properties);
  const beforeRequired = new Set(Array.isArray(before.required) ? (before.required as string[]) : []);
  const afterRequired = new Set(Array.isArray(after.required) ? (after.required as string[]) : []);
  const closed = after.additionalProperties === false;
  for (const name of Object.keys(beforeProperties)) {
    if (name in afterProperties) continue;
    const kind: ChangeKind = beforeRequired.has(name) ? 'required argument removed' : closed ? 'optional argument removed from a closed schema' : 'optional argument removed';
    found.push({ kind, path: label(path, name) });
  }
  for (const name of Object.keys(afterProperties)) {
    if (!(name in beforeProperties)) {
      found.push({ kind: afterRequired.has(name) ? 'required argument added' : 'optional argument added', path: label(path, name) });
      continue;
    }
    if (afterRequired.has(name) && !beforeRequired.has(name)) found.push({ kind: 'argument made required', path: label(path, name) });
    if (beforeRequired.has(name) && !afterRequired.has(name)) found.push({ kind: 'argument made optional', path: label(path, name) });
    found.push(...inputChanges(asSchema(beforeProperties[name]), asSchema(afterProperties[name]), label(path, name)));
  }
  // A required name with no property of its own (allowed by JSON Schema) still must be sent.
  for (const name of afterRequired) {
    if (!beforeRequired.has(name) && !(name in afterProperties)) found.push({ kind: 'required argument added', path: label(path, name) });
  }
  if (before.items !== undefined || after.items !== undefined) found.push(...inputChanges(asSchema(before.items), asSchema(after.items), `${path}[]`));
  return found;
}

/** What changed in an output schema (what a caller reads), at `path`: fields it may no longer find, or find with another type. */
function outputChanges(before: Schema, after: Schema, path: string): Found[] {
  const found: Found[] = [];
  if (!same([...typesOf(before)].sort(), [...typesOf(after)].sort())) {
    found.push({ kind: 'output field type changed', path, detail: `type ${typesOf(before).join('|')} → ${typesOf(after).join('|')}` });
  }
  const beforeProperties = asSchema(before.properties);
  const afterProperties = asSchema(after.properties);
  for (const name of Object.keys(beforeProperties)) {
    if (!(name in afterProperties)) found.push({ kind: 'output field removed', path: label(path, name) });
    else found.push(...outputChanges(asSchema(beforeProperties[name]), asSchema(afterProperties[name]), label(path, name)));
  }
  for (const name of Object.keys(afterProperties)) if (!(name in beforeProperties)) found.push({ kind: 'output field added', path: label(path, name) });
  if (before.items !== undefined || after.items !== undefined) found.push(...outputChanges(asSchema(before.items), asSchema(after.items), `${path}[]`));
  return found;
}

/** What changed in one tool's contract. */
function toolChanges(before: ToolContract, after: ToolContract): Found[] {
  const found: Found[] = [];
  for (const field of ['title', 'description'] as const) {
    if (before[field] !== after[field]) found.push({ kind: 'title or description changed', path: field });
  }
  found.push(...inputChanges(asSchema(before.inputSchema), asSchema(after.inputSchema), 'arguments'));
  if (before.outputSchema !== undefined && after.outputSchema === undefined) found.push({ kind: 'output schema removed', path: 'output' });
  else if (before.outputSchema === undefined && after.outputSchema !== undefined) found.push({ kind: 'output schema added', path: 'output' });
  else if (before.outputSchema !== undefined && after.outputSchema !== undefined) found.push(...outputChanges(asSchema(before.outputSchema), asSchema(after.outputSchema), 'output'));
  if (!same(before.annotations, after.annotations)) {
    const old = asSchema(before.annotations);
    const now = asSchema(after.annotations);
    const lessSafe = (old.readOnlyHint === true && now.readOnlyHint !== true) || (old.destructiveHint === false && now.destructiveHint !== false);
    found.push({ kind: lessSafe ? 'tool no longer read-only or now destructive' : 'annotations changed otherwise', path: 'annotations', detail: `${JSON.stringify(old)} → ${JSON.stringify(now)}` });
  }
  return found;
}

/** What changed in one prompt's contract. */
function promptChanges(before: PromptContract, after: PromptContract): Found[] {
  const required = (prompt: PromptContract) => new Set((prompt.arguments ?? []).filter((argument) => argument.required === true).map((argument) => argument.name));
  const newlyRequired = [...required(after)].filter((name) => !required(before).has(name));
  if (newlyRequired.length > 0) return [{ kind: 'prompt argument made required or added required', path: 'arguments', detail: newlyRequired.join(', ') }];
  return same(before, after) ? [] : [{ kind: 'prompt changed otherwise', path: 'prompt' }];
}

/** Items of two lists matched by a key: those gone, those new, and those in both. */
function matched<T>(before: readonly T[], after: readonly T[], key: (item: T) => string): { removed: T[]; added: T[]; kept: Array<[T, T]> } {
  const afterByKey = new Map(after.map((item) => [key(item), item]));
  const beforeKeys = new Set(before.map(key));
  return {
    removed: before.filter((item) => !afterByKey.has(key(item))),
    added: after.filter((item) => !beforeKeys.has(key(item))),
    kept: before.flatMap((item) => (afterByKey.has(key(item)) ? [[item, afterByKey.get(key(item))!] as [T, T]] : [])),
  };
}

const change = (subject: string, found: Found): ContractChange => ({
  subject,
  kind: found.kind,
  ...(found.path === '' ? {} : { path: found.path }),
  ...(found.detail === undefined ? {} : { detail: found.detail }),
  breaking: CHANGE_KINDS[found.kind],
});

/** Every change from one contract of a server to the next, breaking ones first, then in subject order. */
export function diffContracts(before: ServerContract, after: ServerContract): ContractChange[] {
  const changes: ContractChange[] = [];
  const tools = matched(before.tools, after.tools, (tool) => tool.name);
  for (const tool of tools.removed) changes.push(change(`tool ${tool.name}`, { kind: 'tool removed', path: '' }));
  for (const tool of tools.added) changes.push(change(`tool ${tool.name}`, { kind: 'tool added', path: '' }));
  for (const [old, now] of tools.kept) for (const found of toolChanges(old, now)) changes.push(change(`tool ${now.name}`, found));

  const resources = matched(before.resources, after.resources, (resource) => resource.uri);
  for (const resource of resources.removed) changes.push(change(`resource ${resource.uri}`, { kind: 'resource removed', path: '' }));
  for (const resource of resources.added) changes.push(change(`resource ${resource.uri}`, { kind: 'resource added', path: '' }));
  for (const [old, now] of resources.kept) if (!same(old, now)) changes.push(change(`resource ${now.uri}`, { kind: 'resource changed', path: '' }));

  const templates = matched(before.resourceTemplates, after.resourceTemplates, (template) => template.uriTemplate);
  for (const template of templates.removed) changes.push(change(`resource template ${template.uriTemplate}`, { kind: 'resource template removed', path: '' }));
  for (const template of templates.added) changes.push(change(`resource template ${template.uriTemplate}`, { kind: 'resource template added', path: '' }));
  for (const [old, now] of templates.kept) if (!same(old, now)) changes.push(change(`resource template ${now.uriTemplate}`, { kind: 'resource changed', path: '' }));

  const prompts = matched(before.prompts, after.prompts, (prompt) => prompt.name);
  for (const prompt of prompts.removed) changes.push(change(`prompt ${prompt.name}`, { kind: 'prompt removed', path: '' }));
  for (const prompt of prompts.added) changes.push(change(`prompt ${prompt.name}`, { kind: 'prompt added', path: '' }));
  for (const [old, now] of prompts.kept) for (const found of promptChanges(old, now)) changes.push(change(`prompt ${now.name}`, found));

  return changes.sort((a, b) => Number(b.breaking) - Number(a.breaking) || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0));
}

/** A change in one line: `tool create_entities: required argument added at arguments.owner (type string)`. */
export function describeChange(change: ContractChange): string {
  const where = change.path === undefined ? '' : ` at ${change.path}`;
  return `${change.subject}: ${change.kind}${where}${change.detail === undefined ? '' : ` (${change.detail})`}`;
}
