// What a contract must hold before it is deployed: tools the SDK accepts, schemas that are valid
// JSON Schema (the SDK compiles them as its clients do), names the hosts accept, descriptions.
import { specTypeSchemas } from '@modelcontextprotocol/server';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/client/validators/ajv';
import { Ajv, type AnySchema, type ErrorObject } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { ServerContract } from '../../app/contract/contract.js';

/**
 * A tool name every host takes: the spec allows `.` and up to 128 characters (SEP-986), but the
 * function-calling APIs hosts hand tools to (Anthropic's, OpenAI's) take `^[a-zA-Z0-9_-]{1,64}$`.
 */
export const HOST_TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/** Meta-schema checks, by the dialect a schema declares (none: 2020-12, what the 2025-11-25 revision and later say). */
const metaEngines = {
  '2020-12': () => new Ajv2020({ strict: false, validateFormats: true }),
  '2019-09': () => new Ajv2019({ strict: false, validateFormats: true }),
  'draft-7': () => new Ajv({ strict: false, validateFormats: true }),
} as const;
type Dialect = keyof typeof metaEngines;
const engines = new Map<Dialect, Ajv>();

function dialectOf(schema: Readonly<Record<string, unknown>>): Dialect | undefined {
  const declared = typeof schema.$schema === 'string' ? schema.$schema.replace(/#$/, '').replace(/^http:/, 'https:') : undefined;
  if (declared === undefined || declared === 'https://json-schema.org/draft/2020-12/schema') return '2020-12';
  if (declared === 'https://json-schema.org/draft/2019-09/schema') return '2019-09';
  if (declared === 'https://json-schema.org/draft-07/schema' || declared === 'https://json-schema.org/draft-06/schema') return 'draft-7';
  return undefined;
}

function metaEngine(dialect: Dialect): Ajv {
  let engine = engines.get(dialect);
  if (engine === undefined) {
    engine = metaEngines[dialect]() as Ajv;
    addFormats.default(engine);
    engines.set(dialect, engine);
  }
  return engine;
}

/** Where in the schema a meta-schema error is, as a JSON Pointer under the schema's own field. */
function located(field: string, error: ErrorObject): string {
  const detail = error.keyword === 'enum' || error.keyword === 'type' ? ` (${JSON.stringify(error.params)})` : '';
  return `${field}${error.instancePath}: ${error.message ?? error.keyword}${detail}`;
}

/**
 * A schema's problems as `<field><pointer>: <what>`: against its dialect's meta-schema (which gives
 * the path), then compiled by the SDK's own validator, as a client compiles it (which catches what a
 * meta-schema cannot: a reference that does not resolve, a dialect the SDK does not take).
 */
export function schemaProblems(field: string, schema: Readonly<Record<string, unknown>>): string[] {
  const dialect = dialectOf(schema);
  if (dialect !== undefined) {
    const engine = metaEngine(dialect);
    if (!engine.validateSchema(schema as AnySchema)) {
      // One line per place: a wrong keyword fails several branches of the meta-schema at once.
      const first = new Map<string, ErrorObject>();
      for (const error of engine.errors ?? []) if (!first.has(error.instancePath)) first.set(error.instancePath, error);
      return [...first.values()].map((error) => located(field, error));
    }
  }
  try {
    new AjvJsonSchemaValidator().getValidator(schema as never);
    return [];
  } catch (error) {
    return [`${field}: ${(error as Error).message}`];
  }
}

/** What the SDK's own schema of a spec type says is wrong with a value, one line per issue with its path. */
function specProblems(type: 'Tool' | 'Prompt' | 'Resource' | 'ResourceTemplate', value: unknown, where: string): string[] {
  const result = specTypeSchemas[type]['~standard'].validate(value);
  if (result instanceof Promise || result.issues === undefined) return [];
  return result.issues.map((issue) => {
    const path = (issue.path ?? []).map((segment) => String(typeof segment === 'object' ? segment.key : segment)).join('/');
    return `${where}: ${path || '(root)'}: ${issue.message}`;
  });
}

/**
 * Everything wrong with a server's contract, one line each, naming the tool (as clients at `/mcp`
 * see it, `outerName`) and the path in it: the SDK's own `Tool` schema, each input and output schema,
 * the name, a description.
 */
export function contractProblems(server: string, contract: ServerContract, outerName: (tool: string) => string = (tool) => tool): string[] {
  const problems: string[] = [];
  for (const tool of contract.tools) {
    const where = `server ${server}, tool ${tool.name}`;
    problems.push(...specProblems('Tool', tool, where));
    const outer = outerName(tool.name);
    if (!HOST_TOOL_NAME.test(outer)) {
      problems.push(`${where}: name: "${outer}" is not what hosts take (letters, digits, _ and -, 1 to 64 characters; Anthropic's and OpenAI's APIs refuse the rest)`);
    }
    if (typeof tool.description !== 'string' || tool.description.trim() === '') problems.push(`${where}: description: missing: a model picks a tool by its description`);
    if (typeof tool.inputSchema === 'object' && tool.inputSchema !== null) problems.push(...schemaProblems('inputSchema', tool.inputSchema).map((problem) => `${where}: ${problem}`));
    if (typeof tool.outputSchema === 'object' && tool.outputSchema !== null) problems.push(...schemaProblems('outputSchema', tool.outputSchema).map((problem) => `${where}: ${problem}`));
  }
  for (const prompt of contract.prompts) problems.push(...specProblems('Prompt', prompt, `server ${server}, prompt ${prompt.name}`));
  for (const resource of contract.resources) problems.push(...specProblems('Resource', resource, `server ${server}, resource ${resource.uri}`));
  for (const template of contract.resourceTemplates) problems.push(...specProblems('ResourceTemplate', template, `server ${server}, resource template ${template.uriTemplate}`));
  return problems;
}

/** The problems of every server's contract of an endpoint, the tools named as `/mcp` names them (prefixed once there are several servers). */
export function servedContractProblems(contracts: ReadonlyArray<ServerContract & { readonly server: string }>): string[] {
  const prefixed = contracts.length > 1;
  return contracts.flatMap((contract) => contractProblems(contract.server, contract, (tool) => (prefixed ? `${contract.server}_${tool}` : tool)));
}
