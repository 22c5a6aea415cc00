import { App, Testing } from 'cdktf';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOOGLE_APIS } from '../../stacks/bootstrap/google-apis.js';
import { GOOGLE_DEPLOY_ROLES, GOOGLE_PLAN_ROLES } from '../../stacks/bootstrap/github-ci-google.js';
import { addEnvironmentStacks } from '../../stacks/environment-stacks.js';
import { ACTIONS_WITHOUT_RESOURCE_LEVEL } from '../../stacks/bootstrap/aws-ci-permissions.js';
import { exampleEnvironments, FIXTURE_BUNDLE, only, resources, synthEnvironment } from '../support/synth.js';

const staging = synthEnvironment('staging');
const google = staging.bootstrapGcp;
const aws = staging.bootstrapAws;

/** The bindings of one of bootstrap's service accounts: `plan` or `deploy`. */
function googleIdentity(kind: 'plan' | 'deploy') {
  const accountPath = `staging-bootstrap-gcp/github/${kind}-account`;
  const account = Object.entries(google.resource.google_service_account!).find(([, value]) => value['//'].metadata.path === accountPath)!;
  const member = `serviceAccount:\${google_service_account.${account[0]}.email}`;
  const byAccount = (type: string) => resources(google, type).filter((binding) => binding.member === `\${google_service_account.${account[0]}.member}` || binding.member === member);
  return {
    accountId: account[1].account_id as string,
    roles: byAccount('google_project_iam_member').map((binding) => binding.role as string),
    buckets: byAccount('google_storage_bucket_iam_member').map((binding) => [binding.bucket, binding.role]),
    federation: resources(google, 'google_service_account_iam_member').find((binding) => binding.service_account_id.includes(account[0]))!,
  };
}

/** An AWS role of bootstrap's, with its trust and inline policy documents. */
function awsRole(kind: 'plan' | 'deploy') {
  const documents = aws.data!.aws_iam_policy_document! as Record<string, any>;
  const trust = Object.values(documents).find((document) => document['//'].metadata.path === `staging-bootstrap-aws/github/${kind}-trust`)!;
  const permissions = Object.values(documents).filter((document) => document['//'].metadata.path.startsWith(`staging-bootstrap-aws/github/${kind}-`) && !document['//'].metadata.path.endsWith('-trust'));
  return { trust, statements: permissions.flatMap((document) => document.statement) as Array<{ sid: string; actions: string[]; resources: string[] }> };
}

describe('GIVEN the example config, WHEN the bootstrap stacks are synthesized', () => {
  it('THEN every API the stacks and Cloud Build use is enabled, and never disabled on destroy', () => {
    const services = resources(google, 'google_project_service');
    expect(services.map((service) => service.service).sort()).toEqual([...GOOGLE_APIS].sort());
    for (const service of services) expect(service).toMatchObject({ project: 'example-mcp-staging', disable_on_destroy: false });
  });

  it('THEN the GCS state bucket is versioned, private, uniformly controlled, and protected from destroy', () => {
    const bucket = resources(google, 'google_storage_bucket').find((candidate) => candidate.name === 'example-mcp-staging-tfstate');
    expect(bucket).toMatchObject({
      location: 'europe-west1',
      versioning: { enabled: true },
      public_access_prevention: 'enforced',
      uniform_bucket_level_access: true,
      force_destroy: false,
      lifecycle: { prevent_destroy: true, ignore_changes: ['location'] },
      lifecycle_rule: [{ condition: { days_since_noncurrent_time: 90, with_state: 'ARCHIVED' }, action: { type: 'Delete' } }],
    });
  });

  it('THEN the S3 state bucket is versioned, encrypted, closed to the public, TLS-only, and protected from destroy', () => {
    expect(only(aws, 'aws_s3_bucket')).toMatchObject({ bucket: 'example-mcp-staging-tfstate', force_destroy: false, lifecycle: { prevent_destroy: true } });
    expect(only(aws, 'aws_s3_bucket_versioning').versioning_configuration).toEqual({ status: 'Enabled' });
    expect(only(aws, 'aws_s3_bucket_server_side_encryption_configuration').rule).toEqual([
      { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: true },
    ]);
    expect(only(aws, 'aws_s3_bucket_public_access_block')).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    expect(only(aws, 'aws_s3_bucket_ownership_controls').rule).toEqual({ object_ownership: 'BucketOwnerEnforced' });
    expect(only(aws, 'aws_s3_bucket_lifecycle_configuration').rule[0]).toMatchObject({ status: 'Enabled', noncurrent_version_expiration: [{ noncurrent_days: 90 }] });
    const tlsOnly = Object.values(aws.data!.aws_iam_policy_document!).find((document: any) => document.statement[0].sid === 'DenyInsecureTransport') as any;
    expect(tlsOnly.statement[0]).toMatchObject({ effect: 'Deny', condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }] });
  });

  it('THEN the image repository and both secrets\' containers exist before any serving stack', () => {
    expect(only(google, 'google_artifact_registry_repository')).toMatchObject({ repository_id: 'mcp-bridge-staging', location: 'europe-west1', format: 'DOCKER' });
    expect(only(google, 'google_secret_manager_secret').secret_id).toBe('mcp-bridge-staging-token-sha256');
    expect(only(aws, 'aws_secretsmanager_secret').name).toBe('mcp-bridge-staging/token-digests');
  });

  it('THEN the token secret under its former name (ending in a hyphen and six characters) is forgotten, not destroyed: deploy copies its digests and retires it', () => {
    const address = `aws_secretsmanager_secret.${Object.keys(aws.resource.aws_secretsmanager_secret!)[0]}`;
    expect((aws as any).removed).toEqual([{ from: 'aws_secretsmanager_secret.secret-MCP_TOKEN_SHA256', lifecycle: { destroy: false } }]);
    expect(address).not.toBe('aws_secretsmanager_secret.secret-MCP_TOKEN_SHA256');
  });

  it('THEN GCP trusts GitHub tokens of this repository only, planning from its pull requests and default branch and deploying only from its GitHub environment', () => {
    expect(only(google, 'google_iam_workload_identity_pool_provider')).toMatchObject({
      workload_identity_pool_provider_id: 'github',
      oidc: { issuer_uri: 'https://token.actions.githubusercontent.com' },
      attribute_condition: 'assertion.repository == "example-org/mcp-multicloud"',
    });
    const plan = googleIdentity('plan');
    const deploy = googleIdentity('deploy');
    expect(plan.accountId).toBe('mcp-bridge-staging-plan');
    const planMembers = resources(google, 'google_service_account_iam_member').filter((binding) => binding.service_account_id.includes('plan-account')).map((binding) => binding.member as string);
    expect(planMembers.map((member) => member.replace(/^principal:\/\/iam\.googleapis\.com\/\$\{google_iam_workload_identity_pool\.[\w-]+\.name\}\/subject\//, '')).sort()).toEqual([
      'repo:example-org/mcp-multicloud:pull_request',
      'repo:example-org/mcp-multicloud:ref:refs/heads/main',
    ]);
    expect(deploy.federation.member).toMatch(/\/subject\/repo:example-org\/mcp-multicloud:environment:staging$/);
    expect(plan.roles.sort()).toEqual([...GOOGLE_PLAN_ROLES].sort());
    expect(deploy.roles.sort()).toEqual([...GOOGLE_DEPLOY_ROLES].sort());
    for (const role of [...plan.roles, ...deploy.roles]) expect(role).not.toMatch(/^roles\/(owner|editor)$/);
    expect(plan.buckets).toEqual([[expect.stringContaining('google_storage_bucket.state_bucket'), 'roles/storage.objectUser']]);
    expect(deploy.buckets).toHaveLength(2);
  });

  it('THEN AWS trusts GitHub tokens for sts.amazonaws.com, the plan role from pull requests and the default branch only, the deploy role only from the staging environment', () => {
    const condition = (kind: 'plan' | 'deploy') => awsRole(kind).trust.statement[0].condition;
    // Exact subjects, no pattern: no other branch, tag or environment of the repository matches.
    expect(condition('plan')).toEqual([
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:aud', values: ['sts.amazonaws.com'] },
      { test: 'StringEquals', variable: 'token.actions.githubusercontent.com:sub', values: ['repo:example-org/mcp-multicloud:pull_request', 'repo:example-org/mcp-multicloud:ref:refs/heads/main'] },
    ]);
    expect(condition('deploy')[1].values).toEqual(['repo:example-org/mcp-multicloud:environment:staging']);
    expect(only(aws, 'aws_iam_openid_connect_provider')).toMatchObject({ url: 'https://token.actions.githubusercontent.com', client_id_list: ['sts.amazonaws.com'] });
    // No managed policy: ReadOnlyAccess read every object of every bucket in the account.
    expect(aws.resource.aws_iam_role_policy_attachment).toBeUndefined();
    const reads = awsRole('plan').statements;
    expect(reads.flatMap((statement) => statement.actions).filter((action) => action === 's3:GetObject')).toHaveLength(1);
    expect(reads.find((statement) => statement.actions.includes('s3:GetObject'))!.resources).toEqual(['arn:aws:s3:::example-mcp-staging-tfstate/staging/*']);
  });

  it('THEN the deploy role names every action and scopes each to this environment, but for the writes IAM cannot scope', () => {
    const { statements } = awsRole('deploy');
    for (const statement of statements) {
      for (const action of statement.actions) expect(action).not.toMatch(/\*/);
      if (statement.resources.includes('*')) expect(statement.actions.every((action) => ACTIONS_WITHOUT_RESOURCE_LEVEL.includes(action))).toBe(true);
    }
    const scoped = statements.filter((statement) => ['Function', 'FunctionRole', 'LogGroup', 'Topic', 'Alarm', 'Dashboard', 'Secret'].includes(statement.sid));
    expect(scoped).toHaveLength(7);
    for (const statement of scoped) for (const resource of statement.resources) expect(resource).toContain('mcp-bridge-staging');
    expect(statements.find((statement) => statement.sid === 'HostedZone')!.resources).toEqual(['arn:aws:route53:::hostedzone/Z0EXAMPLE00000000STG']);
    expect(statements.find((statement) => statement.sid === 'StateObjects')!.resources).toEqual(['arn:aws:s3:::example-mcp-staging-tfstate/staging/*']);
    // The CI roles themselves are out of its reach: it could otherwise widen its own trust or policy.
    for (const statement of statements) expect(statement.resources.some((resource) => resource.includes('-github-'))).toBe(false);
  });

  it('WHEN the secondary spans two regions, THEN the deploy role reaches both, and no role but the functions\'', () => {
    const env = exampleEnvironments().find((candidate) => candidate.name === 'staging')!;
    const twoRegions = synthEnvironment('staging', { ...env, aws: { region: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] } });
    const document = Object.values(twoRegions.bootstrapAws.data!.aws_iam_policy_document!).find((candidate: any) => candidate['//'].metadata.path.endsWith('deploy-document')) as any;
    const statement = (sid: string) => document.statement.find((candidate: any) => candidate.sid === sid).resources as string[];
    expect(statement('Function').filter((resource) => resource.endsWith(':function:mcp-bridge-staging'))).toEqual([
      expect.stringMatching(/^arn:aws:lambda:eu-west-1:/),
      expect.stringMatching(/^arn:aws:lambda:us-east-1:/),
    ]);
    expect(statement('FunctionRole').map((resource) => resource.replace(/^.*:role\//, ''))).toEqual(['mcp-bridge-staging', 'mcp-bridge-staging-us-east-1']);
    expect(statement('Secret')).toEqual([expect.stringMatching(/^arn:aws:secretsmanager:eu-west-1:.*:secret:mcp-bridge-staging\/\*$/)]);
  });

  it('WHEN two environments name one AWS account, THEN the first in the file creates its GitHub OIDC provider and the second looks it up (IAM allows one per URL per account)', async () => {
    const { readFileSync } = await import('node:fs');
    const { parseEnvironments } = await import('../../stacks/config.js');
    const environments = parseEnvironments(JSON.parse(readFileSync('stacks/examples/one-account.json', 'utf8')));
    expect(environments.map((candidate) => [candidate.name, candidate.aws.account, candidate.awsOidcProvider])).toEqual([
      ['staging', '111122223333', 'create'],
      ['production', '111122223333', 'look up'],
    ]);
    const [first, second] = environments.map((candidate) => synthEnvironment(candidate.name, candidate).bootstrapAws);
    expect(Object.keys(first!.resource.aws_iam_openid_connect_provider ?? {})).toHaveLength(1);
    expect(second!.resource.aws_iam_openid_connect_provider).toBeUndefined();
    const lookup = Object.entries(second!.data!.aws_iam_openid_connect_provider!) as Array<[string, any]>;
    expect(lookup.map(([, data]) => data.url)).toEqual(['https://token.actions.githubusercontent.com']);
    const trust = Object.values(second!.data!.aws_iam_policy_document!).find((document: any) => document['//'].metadata.path.endsWith('deploy-trust')) as any;
    expect(trust.statement[0].principals[0].identifiers).toEqual([`\${data.aws_iam_openid_connect_provider.${lookup[0]![0]}.arn}`]);
    // Every other name the two bootstrap stacks give is their environment's own.
    const names = (stack: any) => Object.values(stack.resource.aws_iam_role).map((role: any) => role.name);
    expect(names(first).filter((name) => names(second).includes(name))).toEqual([]);
  });

  it('WHEN github is not configured, THEN no CI identity is created', () => {
    const env = { ...exampleEnvironments().find((candidate) => candidate.name === 'staging')! };
    delete (env as { github?: unknown }).github;
    const bare = synthEnvironment('staging', env);
    expect(bare.bootstrapGcp.resource.google_iam_workload_identity_pool).toBeUndefined();
    expect(bare.bootstrapAws.resource.aws_iam_role).toBeUndefined();
    expect(bare.bootstrapAws.resource.aws_iam_openid_connect_provider).toBeUndefined();
  });

  it('WHEN a shared account already has GitHub\'s OIDC provider, THEN the roles trust it and none is created', () => {
    const env = exampleEnvironments().find((candidate) => candidate.name === 'staging')!;
    const arn = 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com';
    const shared = synthEnvironment('staging', { ...env, github: { ...env.github!, awsOidcProviderArn: arn }, awsOidcProvider: { arn } });
    expect(shared.bootstrapAws.resource.aws_iam_openid_connect_provider).toBeUndefined();
    const trust = Object.values(shared.bootstrapAws.data!.aws_iam_policy_document!).find((document: any) => document['//'].metadata.path.endsWith('deploy-trust')) as any;
    expect(trust.statement[0].principals).toEqual([{ type: 'Federated', identifiers: [arn] }]);
  });

  it('keeps the bootstrap state on the local disk, at the project root, for the first apply only', () => {
    const app = Testing.app();
    const env = exampleEnvironments().find((candidate) => candidate.name === 'staging')!;
    addEnvironmentStacks(app as App, env, { lambdaBundleZip: FIXTURE_BUNDLE, bootstrapLocalState: true });
    app.synth();
    const backend = (stack: string) => JSON.parse(readFileSync(join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8')).terraform.backend;
    expect(backend('staging-bootstrap-gcp')).toEqual({ local: { path: '../../../terraform.staging-bootstrap-gcp.tfstate' } });
    expect(backend('staging-bootstrap-aws')).toEqual({ local: { path: '../../../terraform.staging-bootstrap-aws.tfstate' } });
    expect(backend('staging-gcp')).toEqual({ gcs: { bucket: 'example-mcp-staging-tfstate', prefix: 'staging/gcp' } });
    rmSync(app.outdir, { recursive: true, force: true });
    expect(staging.bootstrapGcp.terraform.backend).toEqual({ gcs: { bucket: 'example-mcp-staging-tfstate', prefix: 'staging/bootstrap-gcp' } });
  });
});
