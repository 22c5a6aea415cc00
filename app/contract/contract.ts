import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';
import type { ServerCatalog } from '../servers/upstream.js';

/** A tool as its contract holds it: what a client caches from `tools/list` and calls by. */
export interface ToolContract {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly inputSchema: Readonly<Record<string, unknown>>;
  readonly outputSchema?: Readonly<Record<string, unknown>>;
  readonly annotations?: Readonly<Record<string, unknown>>;
}

/** A resource as its contract holds it. */
export interface ResourceContract {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A resource template as its contract holds it. */
export interface ResourceTemplateContract {
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
}

/** A prompt as its contract holds it: its arguments are what a client fills in. */
export interface PromptContract {
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly arguments?: ReadonlyArray<{ readonly name: string; readonly description?: string; readonly required?: boolean }>;
}

/**
 * What one server promises its clients, under its own names, in a stable order (tools and prompts
 * by name, resources by URI, templates by URI template): what `npm run contract` snapshots and the
 * fingerprint is taken of. Icons, `_meta` and other presentation fields are left out.
 */
export interface ServerContract {
  readonly tools: readonly ToolContract[];
  readonly resources: readonly ResourceContract[];
  readonly resourceTemplates: readonly ResourceTemplateContract[];
  readonly prompts: readonly PromptContract[];
}

/** A contract with nothing in it: a server that is not there. */
export const EMPTY_CONTRACT: ServerContract = { tools: [], resources: [], resourceTemplates: [], prompts: [] };

/** The fields of an object named in `keys` that it has, in that order. */
function picked<T extends object>(value: T, keys: ReadonlyArray<keyof T>): Partial<T> {
  const kept: Partial<T> = {};
  for (const key of keys) if (value[key] !== undefined) kept[key] = value[key];
  return kept;
}

const byKey =
  <T>(key: (item: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

/** A server's contract, from what it lists (any extra fields a server sends are dropped). */
export function contractOf(catalog: ServerCatalog): ServerContract {
  return {
    tools: catalog.tools
      .map((tool) => picked(tool as ToolContract, ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations']) as ToolContract)
      .sort(byKey((tool) => tool.name)),
    resources: catalog.resources
      .map((resource) => picked(resource as ResourceContract, ['uri', 'name', 'title', 'description', 'mimeType']) as ResourceContract)
      .sort(byKey((resource) => resource.uri)),
    resourceTemplates: catalog.resourceTemplates
      .map((template) => picked(template as ResourceTemplateContract, ['uriTemplate', 'name', 'title', 'description', 'mimeType']) as ResourceTemplateContract)
      .sort(byKey((template) => template.uriTemplate)),
    prompts: catalog.prompts
      .map((prompt) => picked(prompt as PromptContract, ['name', 'title', 'description', 'arguments']) as PromptContract)
      .sort(byKey((prompt) => prompt.name)),
  };
}

/** `sha256:<hex>` of a value's canonical JSON (RFC 8785): the same for the same value, whatever its key order. */
export function fingerprintOf(value: unknown): string {
  return `sha256:${createHash('sha256').update(canonicalize(value) ?? 'null').digest('hex')}`;
}

/** What a fingerprint looks like. */
export const FINGERPRINT_PATTERN = /^sha256:[a-f0-9]{64}$/;

/**
 * The fingerprint of what an endpoint serving several servers promises: each server's contract
 * fingerprint by its name (the names are part of it: they prefix the tools at `/mcp`).
 */
export function combinedFingerprint(servers: Readonly<Record<string, string>>): string {
  return fingerprintOf({ servers });
}

const fingerprints = new WeakMap<ServerCatalog, string>();

/** A catalog's contract fingerprint, taken once per catalog (a server's catalog is a new object when its lists change). */
export function catalogFingerprint(catalog: ServerCatalog): string {
  let fingerprint = fingerprints.get(catalog);
  if (fingerprint === undefined) {
    fingerprint = fingerprintOf(contractOf(catalog));
    fingerprints.set(catalog, fingerprint);
  }
  return fingerprint;
}

/** The `_meta` key of `serverInfo` that carries the fingerprint of the contract an endpoint serves. */
export const CONTRACT_META_KEY = 'mcp-multicloud/contract';
