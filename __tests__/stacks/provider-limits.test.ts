import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEnvironments, type EnvironmentConfig } from '../../stacks/config.js';
import { PROVIDER_LIMITS, TYPES_WITHOUT_DERIVED_LIMITS } from '../../stacks/policy/provider-limits.js';
import { EXAMPLE_ENVIRONMENT_NAMES, exampleConfig, exampleEnvironments, resources, synthEnvironment, type Synthesized } from '../support/synth.js';

/** Staging in the middle of a canary: the only time the service has named traffic targets and a tag. */
function stagingInCanary() {
  const config = exampleConfig();
  Object.assign(config.staging, { previousRevision: 'mcp-bridge-staging-0123456789', lambdaStableVersion: 3, canaryPercent: 10 });
  return synthEnvironment('staging', parseEnvironments(config).find((env) => env.name === 'staging'));
}

const environments = [...EXAMPLE_ENVIRONMENT_NAMES.map((name) => synthEnvironment(name)), stagingInCanary()];
const stacks: Synthesized[] = environments.flatMap(({ bootstrapGcp, bootstrapAws, gcp, aws, edge }) => [bootstrapGcp, bootstrapAws, gcp, aws, edge]);

/** Every resource and data source type the stacks emit. */
const emittedTypes = new Set(stacks.flatMap((stack) => [...Object.keys(stack.resource), ...Object.keys(stack.data ?? {})]));

/** Every emitted value of a type's dotted argument, with the resource it belongs to. */
function emittedWithResource(type: string, argument: string): Array<[unknown, Record<string, any>]> {
  const at = (value: unknown, path: string[]): unknown[] =>
    Array.isArray(value)
      ? value.flatMap((item) => at(item, path))
      : path.length === 0
        ? [value]
        : value !== null && typeof value === 'object'
          ? at((value as Record<string, unknown>)[path[0]!], path.slice(1))
          : [];
  return stacks.flatMap((stack) =>
    [...resources(stack, type), ...Object.values(stack.data?.[type] ?? {})].flatMap((resource) =>
      at(resource, argument.split('.')).map((value): [unknown, Record<string, any>] => [value, resource]),
    ),
  );
}

/** Every emitted value of a type's dotted argument. */
function emitted(type: string, argument: string): unknown[] {
  return emittedWithResource(type, argument).map(([value]) => value);
}

/** The example staging environment under another name, as if the config allowed it (issue 12 opens the names). */
function renamed(name: string): EnvironmentConfig {
  const staging = exampleEnvironments().find((env) => env.name === 'staging')!;
  return { ...staging, name: name as EnvironmentConfig['name'] };
}

/** The message synth fails with. */
function synthError(env: EnvironmentConfig): string {
  try {
    synthEnvironment('staging', env);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected synth to fail');
}

describe('provider limits', () => {
  it('reviews every resource type the stacks emit: a rule, or the reason none is needed', () => {
    const reviewed = new Set([...PROVIDER_LIMITS.map((limit) => limit.type), ...Object.keys(TYPES_WITHOUT_DERIVED_LIMITS)]);
    expect([...emittedTypes].filter((type) => !reviewed.has(type))).toEqual([]);
    expect(emittedTypes.size).toBe(64);
  });

  it.each(PROVIDER_LIMITS.map((limit) => [`${limit.type}.${limit.argument}`, limit] as const))(
    '%s: the stacks emit it, and every emitted value keeps the rule',
    (_name, limit) => {
      const values = emittedWithResource(limit.type, limit.argument).filter(([value]) => value !== undefined && !(typeof value === 'string' && value.includes('${')));
      expect(values.length).toBeGreaterThan(0);
      for (const [value, resource] of values) expect(limit.accepts(value, resource), `${JSON.stringify(value)}: ${limit.rule}`).toBe(true);
    },
  );

  it('gives every named resource of a type its own name, across environments (names are unique per type and project or account)', () => {
    const names = new Map<string, string[]>();
    // An alias name is scoped to its function (every function has its `live`), an inline policy's to its role.
    const accountWide = PROVIDER_LIMITS.filter((candidate) => !['aws_lambda_alias', 'aws_iam_role_policy'].includes(candidate.type) && /^(name|account_id|secret_id|repository_id|function_name|alarm_name)$/.test(candidate.argument));
    for (const limit of accountWide) {
      const emittedNames = EXAMPLE_ENVIRONMENT_NAMES.flatMap((name) => {
        const { bootstrapGcp, bootstrapAws, gcp, aws, edge } = environments[EXAMPLE_ENVIRONMENT_NAMES.indexOf(name)]!;
        return [bootstrapGcp, bootstrapAws, gcp, aws, edge].flatMap((stack) => resources(stack, limit.type).map((resource) => resource[limit.argument]));
      }).filter((value): value is string => typeof value === 'string');
      names.set(`${limit.type}.${limit.argument}`, emittedNames);
    }
    expect(names.size).toBeGreaterThan(20);
    for (const [argument, values] of names) expect(values.length, argument).toBe(new Set(values).size);
  });

  it('has every rule, and every type without one, in the README\'s constraints table', () => {
    const readme = readFileSync('README.md', 'utf8');
    const section = readme.slice(readme.indexOf('### Provider limits'), readme.indexOf('### Revision names'));
    for (const limit of PROVIDER_LIMITS) expect(section).toContain(`| \`${limit.type}.${limit.argument}\` | ${limit.rule} |`);
    // The list of types without a rule is the table's, reason for reason: no more, no fewer.
    const listed = section.split('\n').filter((line) => line.startsWith('- `'));
    expect(listed).toEqual(Object.entries(TYPES_WITHOUT_DERIVED_LIMITS).map(([type, reason]) => `- \`${type}\`: ${reason}`));
  });

  it('emits a Route 53 health-check reference name the real provider accepts (at most 27 characters)', () => {
    const names = new Set(emitted('aws_route53_health_check', 'reference_name') as string[]);
    expect([...names].sort()).toEqual(['mcp-bridge-production', 'mcp-bridge-staging']);
    for (const name of names) expect(name.length).toBeLessThanOrEqual(27);
  });

  it('never puts labels into a Google resource\'s `tags` (Resource Manager tags: tagKeys/… only, ForceNew)', () => {
    const tagged = stacks.flatMap((stack) =>
      Object.entries(stack.resource)
        .filter(([type]) => type.startsWith('google_'))
        .flatMap(([type, ofType]) => Object.values(ofType).filter((resource) => resource.tags !== undefined).map(() => type)),
    );
    expect(tagged).toEqual([]);
    for (const stack of stacks.filter((candidate) => candidate.resource.google_secret_manager_secret)) {
      for (const secret of resources(stack, 'google_secret_manager_secret')) {
        expect(secret.labels).toMatchObject({ service: 'mcp-bridge', 'managed-by': 'cdktf' });
      }
    }
  });

  it('fails synth on an environment name too long for the health check\'s reference name, naming the field, value and rule', () => {
    // Short enough for every GCP name (the gcp stack is checked first), too long for Route 53's 27.
    const message = synthError(renamed('long-environment-x'));
    expect(message).toMatch(
      /long-environment-x: the environment name: aws_route53_health_check\.reference_name "mcp-bridge-long-environment-x" \(29 characters\) breaks the provider's rule: at most 27 characters[^\n]*health_check\.go/,
    );
  });

  it('fails synth on a service account id past 30 characters instead of cutting it (a cut id could end in a hyphen)', () => {
    expect(synthError(renamed('a-much-longer-environment-name'))).toMatch(
      /the environment name: google_service_account\.account_id "mcp-bridge-a-much-longer-environment-name" \(41 characters\)[^\n]*ValidateRFC1035Name\(6, 30\)/,
    );
  });

  it('fails synth on a service name past Cloud Run\'s 49 characters, and a compute name past 63', () => {
    const message = synthError(renamed(`env-${'x'.repeat(44)}`));
    expect(message).toMatch(/google_cloud_run_v2_service\.name "mcp-bridge-env-x+" \(59 characters\)[^\n]*1-49 characters/);
    expect(message).toMatch(/google_compute_url_map\.name "mcp-bridge-env-x+-http-redirect" \(73 characters\)/);
    expect(message).toMatch(/google_cloud_run_v2_service\.template\.revision "mcp-bridge-env-x+-[0-9a-f]{10}" \(70 characters\)/);
  });

  it('fails synth on an environment name a GCP label or a compute name refuses (uppercase, underscore)', () => {
    expect(synthError(renamed('Dev_1'))).toMatch(/the environment name: google_compute_global_address\.name "mcp-bridge-Dev_1-ip"[\s\S]*labels\.environment "Dev_1"/);
  });

  it('fails synth on a domain name too long for an ACM certificate (its common name: 64 characters)', () => {
    const staging = exampleEnvironments().find((env) => env.name === 'staging')!;
    const domainName = `${'mcp-'.repeat(14)}mcp.example.com`;
    expect(synthError({ ...staging, domainName })).toMatch(
      new RegExp(`staging: domainName: aws_acm_certificate\\.domain_name "${domainName.replace(/\./g, '\\.')}" \\(71 characters\\) breaks the provider's rule: at most 64`),
    );
  });

  it('fails synth when the Lambda environment passes 4 KB, naming domainName / auth', () => {
    const staging = exampleEnvironments().find((env) => env.name === 'staging')!;
    const oauth: EnvironmentConfig = { ...staging, auth: { mode: 'oauth', issuer: 'https://issuer.example.com', requiredScopes: Array.from({ length: 600 }, (_, i) => `scope:${i}`) } };
    expect(synthError(oauth)).toMatch(/staging: domainName \/ auth: aws_lambda_function\.environment\.variables "MCP_ALLOWED_HOSTS, [^"]*" \(\d{4} bytes\) breaks the provider's rule: at most 4 KB/);
  });

  it.each<[string, (config: Record<string, any>) => void, RegExp]>([
    ['an S3 bucket name with uppercase', (c) => (c.state.s3.bucket = 'Example-State'), /staging: state\.s3\.bucket: must be an S3 bucket name/],
    ['an S3 bucket name S3 reserves', (c) => (c.state.s3.bucket = 'xn--state-bucket'), /staging: state\.s3\.bucket: must not use a prefix or suffix S3 reserves/],
    ['a GCS bucket name with google in it', (c) => (c.state.gcs.bucket = 'my-google-state'), /staging: state\.gcs\.bucket: must not start with "goog"/],
    ['a bad state bucket region', (c) => (c.state.s3.region = 'ireland'), /staging: state\.s3\.region: must be an AWS region/],
    ['8 GiB of memory on 1 vCPU', (c) => (c.cloudRun.memoryMiB = 8192), /staging: cloudRun\.memoryMiB: Cloud Run needs more vCPUs for this much memory/],
    ['4 vCPUs with 1 GiB', (c) => Object.assign(c.cloudRun, { cpu: '4', memoryMiB: 1024 }), /staging: cloudRun\.memoryMiB: Cloud Run needs more memory for this many vCPUs/],
    ['the domainName of another environment', (c) => (c.domainName = 'mcp.example.com'), /production: domainName: "mcp\.example\.com" is already the domainName of staging/],
    ['a misspelt field', (c) => (c.cloudRun.memoryMib = 1024), /staging: cloudRun: Unrecognized key: "memoryMib"/],
  ])('refuses %s at parse, naming the field', (_name, change, expected) => {
    const config = exampleConfig();
    change(config.staging);
    expect(() => parseEnvironments(config)).toThrowError(expected);
  });

  it('accepts the pairs Cloud Run allows (6 vCPUs with 24 GiB, 2 with 8 GiB)', () => {
    const config = exampleConfig();
    Object.assign(config.staging.cloudRun, { cpu: '6', memoryMiB: 24576 });
    Object.assign(config.production.cloudRun, { cpu: '2', memoryMiB: 8192 });
    expect(() => parseEnvironments(config)).not.toThrow();
  });
});
