// The contract diff's classifier against the README's table: every kind of change the table names is
// generated (fast-check: random tools around the one change), and the classifier must name exactly
// that change, breaking as the table says.
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ServerContract, ToolContract } from '../../app/contract/contract.js';
import { CHANGE_KINDS, describeChange, diffContracts, type ChangeKind } from '../../ops/contract/contract-diff.js';

/** The README's "What counts as breaking" table: change → breaking. */
function readmeVerdicts(): Map<string, boolean> {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf('#### What counts as breaking'));
  const verdicts = new Map<string, boolean>();
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || cells[1] === 'change' || cells[1]!.startsWith('---')) continue;
    verdicts.set(cells[1]!, /^yes\b/.test(cells[2]!));
  }
  return verdicts;
}

type MutableTool = { name: string; title?: string; description: string; inputSchema: any; outputSchema?: any; annotations?: any };
type Contract = { tools: MutableTool[]; resources: any[]; resourceTemplates: any[]; prompts: any[] };

/** How one kind of change is made: `setup` on both sides, `change` on the after side. */
interface Case {
  readonly setup?: (contract: Contract) => void;
  readonly change: (contract: Contract) => void;
}

const tool = (contract: Contract) => contract.tools[0]!;
const property = (contract: Contract, name: string) => tool(contract).inputSchema.properties[name];
const addProperty = (contract: Contract, name: string, schema: unknown, required = false) => {
  tool(contract).inputSchema.properties[name] = schema;
  if (required) tool(contract).inputSchema.required = [...(tool(contract).inputSchema.required ?? []), name];
};
const removeProperty = (contract: Contract, name: string) => {
  delete tool(contract).inputSchema.properties[name];
  tool(contract).inputSchema.required = (tool(contract).inputSchema.required ?? []).filter((entry: string) => entry !== name);
};
const openSchema = (contract: Contract) => delete tool(contract).inputSchema.additionalProperties;

const CASES: Record<ChangeKind, Case> = {
  'tool removed': { setup: (c) => c.tools.push({ name: 'zz_other', description: 'another', inputSchema: { type: 'object' } }), change: (c) => c.tools.pop() },
  'tool added': { change: (c) => c.tools.push({ name: 'zz_new', description: 'new', inputSchema: { type: 'object' } }) },
  'required argument removed': { setup: (c) => addProperty(c, 'x_req', { type: 'string' }, true), change: (c) => removeProperty(c, 'x_req') },
  'optional argument removed': { setup: (c) => (openSchema(c), addProperty(c, 'x_opt', { type: 'string' })), change: (c) => removeProperty(c, 'x_opt') },
  'optional argument removed from a closed schema': {
    setup: (c) => ((tool(c).inputSchema.additionalProperties = false), addProperty(c, 'x_opt', { type: 'string' })),
    change: (c) => removeProperty(c, 'x_opt'),
  },
  'required argument added': { change: (c) => addProperty(c, 'x_new', { type: 'string' }, true) },
  'optional argument added': { change: (c) => addProperty(c, 'x_new', { type: 'string' }) },
  'argument made required': { setup: (c) => addProperty(c, 'x', { type: 'string' }), change: (c) => (tool(c).inputSchema.required = [...(tool(c).inputSchema.required ?? []), 'x']) },
  'argument made optional': { setup: (c) => addProperty(c, 'x', { type: 'string' }, true), change: (c) => (tool(c).inputSchema.required = tool(c).inputSchema.required.filter((n: string) => n !== 'x')) },
  'argument type narrowed': { setup: (c) => addProperty(c, 'x', { type: 'number' }), change: (c) => (property(c, 'x').type = 'integer') },
  'argument type widened': { setup: (c) => addProperty(c, 'x', { type: 'string' }), change: (c) => (property(c, 'x').type = ['string', 'null']) },
  'argument enum narrowed': { setup: (c) => addProperty(c, 'x', { type: 'string', enum: ['a', 'b', 'c'] }), change: (c) => (property(c, 'x').enum = ['a', 'c']) },
  'argument enum widened': { setup: (c) => addProperty(c, 'x', { type: 'string', enum: ['a', 'b'] }), change: (c) => (property(c, 'x').enum = ['a', 'b', 'c']) },
  'argument bound tightened': { setup: (c) => addProperty(c, 'x', { type: 'string', maxLength: 100 }), change: (c) => (property(c, 'x').maxLength = 10) },
  'argument bound loosened': { setup: (c) => addProperty(c, 'x', { type: 'integer', minimum: 5 }), change: (c) => (property(c, 'x').minimum = 0) },
  'argument schema changed otherwise': { setup: (c) => addProperty(c, 'x', { type: 'string' }), change: (c) => (property(c, 'x').pattern = '^[a-z]+$') },
  'output schema removed': { setup: (c) => (tool(c).outputSchema = { type: 'object', properties: { r: { type: 'string' } } }), change: (c) => delete tool(c).outputSchema },
  'output schema added': { setup: (c) => delete tool(c).outputSchema, change: (c) => (tool(c).outputSchema = { type: 'object', properties: { r: { type: 'string' } } }) },
  'output field removed': {
    setup: (c) => (tool(c).outputSchema = { type: 'object', properties: { r: { type: 'string' }, s: { type: 'number' } } }),
    change: (c) => delete tool(c).outputSchema.properties.s,
  },
  'output field added': { setup: (c) => (tool(c).outputSchema = { type: 'object', properties: { r: { type: 'string' } } }), change: (c) => (tool(c).outputSchema.properties.s = { type: 'boolean' }) },
  'output field type changed': { setup: (c) => (tool(c).outputSchema = { type: 'object', properties: { r: { type: 'string' } } }), change: (c) => (tool(c).outputSchema.properties.r.type = 'number') },
  'tool no longer read-only or now destructive': { setup: (c) => (tool(c).annotations = { readOnlyHint: true }), change: (c) => (tool(c).annotations = { readOnlyHint: false }) },
  'annotations changed otherwise': { setup: (c) => (tool(c).annotations = { openWorldHint: false }), change: (c) => (tool(c).annotations = { openWorldHint: true }) },
  'title or description changed': { change: (c) => (tool(c).description = `${tool(c).description}, now said better`) },
  'resource removed': { setup: (c) => c.resources.push({ uri: 'file:///r', name: 'r' }), change: (c) => c.resources.pop() },
  'resource added': { change: (c) => c.resources.push({ uri: 'file:///new', name: 'new' }) },
  'resource template removed': { setup: (c) => c.resourceTemplates.push({ uriTemplate: 'file:///{path}', name: 'files' }), change: (c) => c.resourceTemplates.pop() },
  'resource template added': { change: (c) => c.resourceTemplates.push({ uriTemplate: 'file:///{path}', name: 'files' }) },
  'resource changed': { setup: (c) => c.resources.push({ uri: 'file:///r', name: 'r' }), change: (c) => (c.resources.at(-1).mimeType = 'text/plain') },
  'prompt removed': { setup: (c) => c.prompts.push({ name: 'p' }), change: (c) => c.prompts.pop() },
  'prompt added': { change: (c) => c.prompts.push({ name: 'p_new' }) },
  'prompt argument made required or added required': { setup: (c) => c.prompts.push({ name: 'p', arguments: [{ name: 'topic' }] }), change: (c) => (c.prompts.at(-1).arguments[0].required = true) },
  'prompt changed otherwise': { setup: (c) => c.prompts.push({ name: 'p' }), change: (c) => (c.prompts.at(-1).description = 'now described') },
};

/** Random tools around the change: other arguments of every kind, required or not, an output schema, annotations. */
const argumentSchema = fc.oneof(
  fc.record({ type: fc.constant('string'), maxLength: fc.integer({ min: 1, max: 50 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constantFrom('number', 'integer'), minimum: fc.integer({ min: -5, max: 5 }) }, { requiredKeys: ['type'] }),
  fc.record({ type: fc.constant('boolean') }),
  fc.record({ type: fc.constant('array'), items: fc.record({ type: fc.constant('string') }) }),
  fc.record({ type: fc.constant('object'), properties: fc.dictionary(fc.constantFrom('p', 'q'), fc.record({ type: fc.constant('string') })) }),
);
const baseContract: fc.Arbitrary<Contract> = fc
  .record({
    arguments: fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), argumentSchema, { maxKeys: 4 }),
    required: fc.subarray(['a', 'b', 'c', 'd']),
    closed: fc.boolean(),
    output: fc.option(fc.dictionary(fc.constantFrom('o1', 'o2'), fc.record({ type: fc.constantFrom('string', 'number') })), { nil: undefined }),
    readOnly: fc.option(fc.boolean(), { nil: undefined }),
    description: fc.string({ minLength: 1, maxLength: 30 }),
  })
  .map(({ arguments: properties, required, closed, output, readOnly, description }) => ({
    tools: [
      {
        name: 'a_tool',
        description,
        inputSchema: { type: 'object', properties, required: required.filter((name) => name in properties), ...(closed ? { additionalProperties: false } : {}) },
        ...(output === undefined ? {} : { outputSchema: { type: 'object', properties: output } }),
        ...(readOnly === undefined ? {} : { annotations: { readOnlyHint: readOnly } }),
      },
    ],
    resources: [],
    resourceTemplates: [],
    prompts: [],
  }));

const sorted = (contract: Contract): ServerContract => ({ ...contract, tools: [...contract.tools].sort((a, b) => (a.name < b.name ? -1 : 1)) as ToolContract[] });

describe('what counts as breaking', () => {
  const verdicts = readmeVerdicts();

  it('is the same table in the README as in the classifier', () => {
    expect(Object.fromEntries(verdicts)).toEqual(CHANGE_KINDS);
  });

  it.each(Object.keys(CASES) as ChangeKind[])('%s: generated around random tools, classified as the README says', (kind) => {
    const { setup, change } = CASES[kind];
    fc.assert(
      fc.property(baseContract, (base) => {
        setup?.(base);
        const after = structuredClone(base);
        change(after);
        const changes = diffContracts(sorted(base), sorted(after));
        expect(changes.map((found) => found.kind), JSON.stringify({ base, after })).toEqual([kind]);
        expect(changes[0]!.breaking).toBe(verdicts.get(kind));
      }),
      { numRuns: 60 },
    );
  });

  it('names nothing when nothing changed, and the tool and the path when something did', () => {
    const contract: ServerContract = {
      tools: [{ name: 'create_entities', description: 'd', inputSchema: { type: 'object', properties: { entities: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } } } } }],
      resources: [],
      resourceTemplates: [],
      prompts: [],
    };
    expect(diffContracts(contract, structuredClone(contract))).toEqual([]);
    const after = structuredClone(contract) as any;
    after.tools[0].inputSchema.properties.entities.items.properties.owner = { type: 'string' };
    after.tools[0].inputSchema.properties.entities.items.required.push('owner');
    expect(diffContracts(contract, after).map(describeChange)).toEqual(['tool create_entities: required argument added at arguments.entities[].owner']);
  });
});
