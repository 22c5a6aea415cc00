// The day-2 change matrix: for every field of stacks/environments.json, synthesize the staging
// stacks before and after a realistic change and work out what `terraform apply` would do with the
// providers' ForceNew rules (support/force-new.ts). What may be replaced or removed is what the
// README's "Day-2 changes" table says, exactly; everything else must update in place.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { environmentSchema, parseEnvironments } from '../../stacks/config.js';
import { AWS_GLOBAL_TYPES, FORCE_NEW } from '../support/force-new.js';
import { exampleConfig, synthEnvironment, type Synthesized, type SynthesizedEnvironment } from '../support/synth.js';

const KINDS = ['bootstrapGcp', 'bootstrapAws', 'gcp', 'aws', 'edge'] as const;

/** Resources whose replacement or removal costs availability or data. */
const PROTECTED = [
  'google_compute_global_address',
  'google_certificate_manager_certificate',
  'google_certificate_manager_dns_authorization',
  'google_secret_manager_secret',
  'aws_secretsmanager_secret',
  'google_cloud_run_v2_service',
  'aws_lambda_function',
  'google_storage_bucket',
  'aws_s3_bucket',
] as const;

/** Every leaf field of the environment schema, as a dotted path (union variants merged). */
function schemaFields(schema: any, prefix = ''): string[] {
  const def = schema._zod.def;
  switch (def.type) {
    case 'optional':
    case 'default':
      return schemaFields(def.innerType, prefix);
    case 'object':
      return Object.entries(def.shape).flatMap(([key, value]) => schemaFields(value, prefix ? `${prefix}.${key}` : key));
    case 'union':
      return [...new Set<string>(def.options.flatMap((option: any) => schemaFields(option, prefix)))];
    default:
      return [prefix];
  }
}

interface Resource {
  /** The stack's key (`gcp`, `aws`, …) or, for a further AWS region, its name. */
  readonly stack: string;
  /** The stack's synthesized JSON (for its providers). */
  readonly stackJson: Synthesized;
  readonly type: string;
  readonly name: string;
  readonly config: Record<string, any>;
}

/** Every resource of the environment's stacks, by `<stack>:<type>.<name>`. */
function resourcesOf(environment: SynthesizedEnvironment): Map<string, Resource> {
  const found = new Map<string, Resource>();
  const stacks: Array<[string, Synthesized]> = [
    ...KINDS.map((kind): [string, Synthesized] => [kind, environment[kind]]),
    // Further AWS regions' stacks, by their stack name.
    ...environment.awsRegions.slice(1).map((stack): [string, Synthesized] => [(stack as any)['//'].metadata.stackName, stack]),
  ];
  for (const [stack, stackJson] of stacks) {
    for (const [type, ofType] of Object.entries(stackJson.resource)) {
      for (const [name, { '//': _metadata, ...config }] of Object.entries(ofType)) found.set(`${stack}:${type}.${name}`, { stack, stackJson, type, name, config });
    }
  }
  return found;
}

/** The region an AWS resource lives in: its provider's (`aws.<alias>`, or the stack's default). */
function awsRegionOf(resource: Resource): string | undefined {
  const alias = typeof resource.config.provider === 'string' ? resource.config.provider.replace(/^aws\./, '') : undefined;
  return resource.stackJson.provider.aws?.find((provider) => provider.alias === alias)?.region as string | undefined;
}

/** What `terraform apply` would do, by resource address. */
interface Plan {
  readonly updated: Set<string>;
  readonly replaced: Set<string>;
  readonly created: Set<string>;
  readonly destroyed: Set<string>;
  /** Stacks whose state backend moves (`terraform init -migrate-state`). */
  readonly stateMoved: Set<string>;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Works out the plan between two synthesized versions of an environment. */
function planOf(before: SynthesizedEnvironment, after: SynthesizedEnvironment): Plan {
  const [old, next] = [resourcesOf(before), resourcesOf(after)];
  const plan: Plan = { updated: new Set(), replaced: new Set(), created: new Set(), destroyed: new Set(), stateMoved: new Set() };
  for (const address of old.keys()) if (!next.has(address)) plan.destroyed.add(address);
  for (const address of next.keys()) if (!old.has(address)) plan.created.add(address);

  const forcesNew = (resource: Resource, previous: Resource) => {
    const rule = FORCE_NEW[resource.type];
    if (rule === undefined) throw new Error(`no ForceNew rule recorded for ${resource.type}`);
    // `lifecycle.ignore_changes` arguments never make a diff.
    const ignored = new Set<string>(resource.config.lifecycle?.ignore_changes ?? []);
    const changed = (argument: string) => !ignored.has(argument) && !same(resource.config[argument], previous.config[argument]);
    return rule === '*' ? Object.keys({ ...resource.config, ...previous.config }).some(changed) : rule.some(changed);
  };
  for (const [address, resource] of next) {
    const previous = old.get(address);
    if (previous === undefined) continue;
    const movedRegion =
      resource.type.startsWith('aws_') &&
      !AWS_GLOBAL_TYPES.has(resource.type) &&
      awsRegionOf(previous) !== awsRegionOf(resource);
    if (movedRegion || forcesNew(resource, previous)) plan.replaced.add(address);
    else if (!same(resource.config, previous.config)) plan.updated.add(address);
  }
  // A replaced resource gets new ids: whatever refers to it in a ForceNew argument is replaced too.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [address, resource] of next) {
      if (plan.replaced.has(address) || plan.created.has(address)) continue;
      const rule = FORCE_NEW[resource.type]!;
      const arguments_ = rule === '*' ? Object.values(resource.config) : rule.map((argument) => resource.config[argument]);
      const refersToReplaced = [...plan.replaced].some((replaced) => {
        const [stack, reference] = replaced.split(':') as [string, string];
        return stack === resource.stack && arguments_.some((value) => JSON.stringify(value ?? null).includes(`\${${reference}.`));
      });
      if (refersToReplaced) {
        plan.replaced.add(address);
        plan.updated.delete(address);
        grew = true;
      }
    }
  }
  for (const stack of KINDS) if (!same(before[stack].terraform.backend, after[stack].terraform.backend)) plan.stateMoved.add(stack);
  return plan;
}

/** The staging environment synthesized from a raw config changed by `change`. */
function stagingWith(change: (staging: Record<string, any>) => void): SynthesizedEnvironment {
  const config = exampleConfig();
  change(config.staging);
  return synthEnvironment('staging', parseEnvironments(config).find((env) => env.name === 'staging'));
}

const digest = (hex: string) => `europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge@sha256:${hex.repeat(64)}`;
const oauth = { mode: 'oauth', issuer: 'https://login.example.com', requiredScopes: [] as string[] };
const inCanary = (staging: Record<string, any>) => Object.assign(staging, { canaryPercent: 10, previousRevision: 'mcp-bridge-staging-0123456789', lambdaStableVersion: 3 });

/** A realistic change of each field, from a starting point (the example staging config unless `before` says otherwise). */
const CHANGES: Record<string, { before?: (staging: Record<string, any>) => void; after: (staging: Record<string, any>) => void }> = {
  domainName: { after: (s) => (s.domainName = 'mcp-next.staging.example.com') },
  'hostedZone.name': { after: (s) => (s.hostedZone.name = 'staging.example.com') },
  'hostedZone.id': { after: (s) => (s.hostedZone.id = 'Z0EXAMPLE00000000NEW') },
  'gcp.project': { after: (s) => (s.gcp.project = 'example-mcp-staging-2') },
  'gcp.region': { after: (s) => (s.gcp.region = 'europe-west4') },
  'gcp.regions': { after: (s) => (s.gcp = { project: s.gcp.project, regions: ['europe-west1', 'us-central1'] }) },
  'aws.region': { after: (s) => (s.aws.region = 'eu-central-1') },
  'aws.account': { after: (s) => (s.aws.account = '111122223333') },
  'aws.regions': { after: (s) => (s.aws = { regions: ['eu-west-1', 'us-east-1'] }) },
  image: { after: (s) => (s.image = digest('b')) },
  'cloudRun.cpu': { after: (s) => (s.cloudRun.cpu = '2') },
  'cloudRun.memoryMiB': { after: (s) => (s.cloudRun.memoryMiB = 1024) },
  'cloudRun.concurrency': { after: (s) => (s.cloudRun.concurrency = 40) },
  'cloudRun.timeoutSeconds': { after: (s) => (s.cloudRun.timeoutSeconds = 120) },
  'cloudRun.minInstances': { after: (s) => (s.cloudRun.minInstances = 1) },
  'cloudRun.maxInstances': { after: (s) => (s.cloudRun.maxInstances = 10) },
  'cloudRun.invokers': { after: (s) => (s.cloudRun.invokers = ['allUsers', 'serviceAccount:probe@example-mcp-staging.iam.gserviceaccount.com']) },
  'lambda.memoryMiB': { after: (s) => (s.lambda.memoryMiB = 2048) },
  'lambda.timeoutSeconds': { after: (s) => (s.lambda.timeoutSeconds = 20) },
  'lambda.reservedConcurrency': { after: (s) => (s.lambda.reservedConcurrency = 40) },
  'healthCheck.intervalSeconds': { after: (s) => (s.healthCheck.intervalSeconds = 10) },
  'healthCheck.failureThreshold': { after: (s) => (s.healthCheck.failureThreshold = 2) },
  'healthCheck.regions': { after: (s) => s.healthCheck.regions.push('us-west-2') },
  'alerts.emails': { after: (s) => (s.alerts.emails = ['oncall@example.com']) },
  'alerts.latencyP99Ms': { after: (s) => (s.alerts.latencyP99Ms = 2500) },
  logRetentionDays: { after: (s) => (s.logRetentionDays = 30) },
  'state.backend': { after: (s) => (s.state = { backend: 'local' }) },
  'state.gcs.bucket': { after: (s) => (s.state.gcs.bucket = 'example-mcp-staging-tfstate-2') },
  'state.s3.bucket': { after: (s) => (s.state.s3.bucket = 'example-mcp-staging-tfstate-2') },
  'state.s3.region': { after: (s) => (s.state.s3.region = 'eu-central-1') },
  'auth.mode': { after: (s) => (s.auth = oauth) },
  'auth.issuer': { before: (s) => (s.auth = oauth), after: (s) => (s.auth = { ...oauth, issuer: 'https://login2.example.com' }) },
  'auth.requiredScopes': { before: (s) => (s.auth = oauth), after: (s) => (s.auth = { ...oauth, requiredScopes: ['mcp:tools'] }) },
  canaryPercent: { after: inCanary },
  previousRevision: { before: inCanary, after: (s) => (inCanary(s).previousRevision = 'mcp-bridge-staging-9876543210') },
  lambdaStableVersion: { before: inCanary, after: (s) => (inCanary(s).lambdaStableVersion = 4) },
  failoverDrill: { after: (s) => (s.failoverDrill = true) },
  servers: { after: (s) => (s.servers = { tools: { builtin: {} }, search: { http: { url: 'https://search.internal.example.com/mcp' } } }) },
  access: { after: (s) => (s.access = { default: 'deny', grants: [{ server: 'builtin', tools: ['health_check'], tokens: ['team-a'] }] }) },
  'audit.retentionDays': { after: (s) => (s.audit = { retentionDays: 731 }) },
  'contract.acknowledged': { after: (s) => (s.contract = { acknowledged: { builtin: `sha256:${'a'.repeat(64)}` } }) },
  deletionProtection: { after: (s) => (s.deletionProtection = true) },
  tier: { after: (s) => (s.tier = 'production') },
  'github.repository': { after: (s) => (s.github.repository = 'example-org/mcp-platform') },
  'github.defaultBranch': { after: (s) => (s.github.defaultBranch = 'trunk') },
  'github.awsOidcProviderArn': { after: (s) => (s.github.awsOidcProviderArn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com') },
};

/** The rows of the README table under `heading`: the first cell, the resource types the second names, the note. */
function readmeRows(heading: string): Array<{ key: string; replaced: string[]; note: string }> {
  const readme = readFileSync(fileURLToPath(new URL('../../README.md', import.meta.url)), 'utf8');
  const section = readme.slice(readme.indexOf(heading));
  const rows: Array<{ key: string; replaced: string[]; note: string }> = [];
  for (const line of section.split('\n').slice(1)) {
    if (line.startsWith('#')) break;
    const cells = line.split('|').map((cell) => cell.trim());
    if (cells.length < 4 || cells[1] === 'field' || cells[1] === 'change' || cells[1]!.startsWith('---')) continue;
    rows.push({ key: cells[1]!, replaced: [...cells[2]!.matchAll(/`([a-z0-9_]+)`/g)].map((match) => match[1]!), note: cells[3]! });
  }
  return rows;
}

/** The README's "Day-2 changes" table: field → the resource types it replaces or removes (`state`: the state moves). */
function readmeTable(): Map<string, { replaced: string[]; note: string }> {
  return new Map(
    readmeRows('### Day-2 changes')
      .filter(({ key }) => key.startsWith('`'))
      .flatMap(({ key, replaced, note }) => [...key.matchAll(/`([A-Za-z0-9.]+)`/g)].map((match) => [match[1]!, { replaced, note }] as const)),
  );
}

const baseline = synthEnvironment('staging');
const fields = schemaFields(environmentSchema);
const readme = readmeTable();

const templateOf = (environment: SynthesizedEnvironment) => {
  const { revision, ...template } = Object.values(environment.gcp.resource.google_cloud_run_v2_service!)[0]!.template;
  return { revision: revision as string, template };
};
const setIdentifiers = (environment: SynthesizedEnvironment) =>
  Object.values(environment.edge.resource.aws_route53_record ?? {})
    .map((record) => record.set_identifier)
    .filter(Boolean)
    .sort();

describe('day-2 changes of every config field', () => {
  it('covers every field of the schema, and the README has a row for each', () => {
    expect(Object.keys(CHANGES).sort()).toEqual([...fields].sort());
    expect([...readme.keys()].sort()).toEqual([...fields].sort());
  });

  describe.each(fields)('%s', (field) => {
    const change = CHANGES[field]!;
    const before = change.before === undefined ? baseline : stagingWith(change.before);
    const after = stagingWith((staging) => {
      change.before?.(staging);
      change.after(staging);
    });
    const plan = planOf(before, after);
    const typesOf = (addresses: Iterable<string>) => [...new Set([...addresses].map((address) => address.split(':')[1]!.split('.')[0]!))].sort();

    it('replaces or removes exactly what the README says, and moves state only for state fields', () => {
      const row = readme.get(field)!;
      const expected = row.replaced.filter((type) => type !== 'state').sort();
      expect(typesOf([...plan.replaced, ...plan.destroyed])).toEqual(expected);
      expect(plan.stateMoved.size > 0).toBe(row.replaced.includes('state'));
    });

    it('replaces a resource that serves traffic or holds data only where the README explains it', () => {
      const hit = typesOf([...plan.replaced, ...plan.destroyed]).filter((type) => (PROTECTED as readonly string[]).includes(type));
      if (hit.length > 0) expect(readme.get(field)!.note.length, `README note for ${field} (replaces ${hit.join(', ')})`).toBeGreaterThan(20);
    });

    it('changes something (or the README says it only affects validation)', () => {
      const changed = plan.updated.size + plan.replaced.size + plan.created.size + plan.destroyed.size + plan.stateMoved.size;
      if (changed === 0) expect(readme.get(field)!.note).toMatch(/validation only/);
      else expect(readme.get(field)!.note).not.toMatch(/validation only/);
    });

    it('gives a changed Cloud Run template a new revision name, and an unchanged one the same name', () => {
      const [old, next] = [templateOf(before), templateOf(after)];
      expect(next.revision === old.revision).toBe(same(next.template, old.template));
    });

    it('keeps the failover records\' set identifiers (a new region may add its own)', () => {
      expect(setIdentifiers(after)).toEqual(expect.arrayContaining(setIdentifiers(before)));
      if (field !== 'aws.regions') expect(setIdentifiers(after)).toEqual(setIdentifiers(before));
    });
  });

  it.each(['image', 'cloudRun.cpu', 'cloudRun.memoryMiB', 'cloudRun.concurrency', 'cloudRun.timeoutSeconds', 'cloudRun.minInstances', 'cloudRun.maxInstances', 'auth.mode', 'domainName'])(
    'a change of %s alone yields a new revision name (Cloud Run would answer 409 to the old one)',
    (field) => {
      const change = CHANGES[field]!;
      expect(templateOf(stagingWith((staging) => change.after(staging))).revision).not.toBe(templateOf(baseline).revision);
    },
  );

  it('names a revision the same way on every synth (no collision with itself, no needless revision)', () => {
    expect(templateOf(synthEnvironment('staging')).revision).toBe(templateOf(baseline).revision);
  });
});

/** The README's table of `servers` changes: scenario → the resource types it replaces or removes. */
function readmeServerChanges(): Map<string, { replaced: string[]; note: string }> {
  return new Map(readmeRows('#### Changes of `servers`').map(({ key, replaced, note }) => [key, { replaced, note }]));
}

const tools = { builtin: {} };
const memory = { stdio: { command: 'mcp-server-memory', package: { npm: '@modelcontextprotocol/server-memory', version: '2026.8.31' }, runtime: 'node22' } };
const notes = { stdio: { command: 'python3', args: ['stacks/examples/servers/notes/server.py'], env: { NOTES_API_KEY: { secret: 'NOTES_API_KEY' } }, package: { folder: 'stacks/examples/servers/notes' }, runtime: 'python3.12' } };
/** Changes of `servers` that change what the Lambda runs or what bootstrap holds, from one list to another (`undefined`: no `servers`). */
const SERVER_CHANGES: Record<string, { before?: Record<string, unknown>; after?: Record<string, unknown> }> = {
  'add the first stdio server (zip → image)': { after: { tools, memory } },
  'remove the last stdio server (image → zip)': { before: { tools, memory }, after: { tools } },
  'add a stdio server with a secret (image stays)': { before: { tools, memory }, after: { tools, memory, notes } },
  'remove a stdio server with a secret (image stays)': { before: { tools, memory, notes }, after: { tools, memory } },
};

describe('day-2 changes of servers', () => {
  const table = readmeServerChanges();
  it('has a README row for each change', () => {
    expect([...table.keys()].sort()).toEqual(Object.keys(SERVER_CHANGES).sort());
  });
  it.each(Object.entries(SERVER_CHANGES))('%s replaces or removes exactly what the README says', (name, { before, after }) => {
    const withServers = (servers: Record<string, unknown> | undefined) => stagingWith((staging) => (servers === undefined ? undefined : (staging.servers = servers)));
    const plan = planOf(withServers(before), withServers(after));
    const types = [...new Set([...plan.replaced, ...plan.destroyed].map((address) => address.split(':')[1]!.split('.')[0]!))].sort();
    expect(types).toEqual([...table.get(name)!.replaced].sort());
  });
});
