// `npm run bootstrap` and `npm run token` against recording fakes of gcloud, aws, cdktf and
// terraform (no cloud is reachable from here).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrapSteps, parseBootstrapArgs } from '../../ops/bootstrap.js';
import { loadEnvironment } from '../../ops/environment-file.js';
import { runSteps } from '../../ops/runner/step-runner.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { parseTokenArgs, revokeSteps, rotateSteps, syncSteps } from '../../ops/token.js';
import { rotatedDigests } from '../../ops/tokens.js';
import { FakeClouds } from '../support/fake-clouds.js';
import { projectFolder } from '../support/project-folder.js';
import { synthEnvironment } from '../support/synth.js';

/** A project folder with the example config (changed by `change`) and fresh fakes. */
function project(change: (config: Record<string, any>) => void = () => undefined) {
  const { root, environmentsFile } = projectFolder(change);
  const clouds = new FakeClouds();
  const results: string[] = [];
  const printed: string[] = [];
  const output = { progress: () => undefined, result: (line: string) => results.push(line) };
  return { root, environmentsFile, clouds, results, printed, output };
}

const BOOTSTRAP_STATE = ['gs://example-mcp-staging-tfstate/staging/bootstrap-gcp/default.tfstate', 's3://example-mcp-staging-tfstate/staging/bootstrap-aws.tfstate'];

/** Plays what the real cdktf and terraform would leave behind: a local state file, then the moved state (its copy) in its bucket. */
function playStateFiles(setup: ReturnType<typeof project>) {
  setup.clouds.hooks.push(
    {
      matcher: /^npx cdktf deploy staging-bootstrap-/,
      run: (call) => {
        const file = join(setup.root, `terraform.${call.args[2]}.tfstate`);
        if (call.env?.MCP_BOOTSTRAP_LOCAL_STATE === '1' && !existsSync(file)) writeFileSync(file, '{}');
      },
    },
    {
      matcher: /-migrate-state/,
      run: (call) => {
        const url = BOOTSTRAP_STATE[call.args[0]!.endsWith('gcp') ? 0 : 1]!;
        setup.clouds.objects.add(url);
        setup.clouds.putObject(url, readFileSync(join(setup.root, `terraform.${call.args[0]!.replace(/^-chdir=.*\/stacks\//, '')}.tfstate`), 'utf8'));
      },
    },
  );
  setup.clouds.outputs.set('staging-bootstrap-gcp', {
    'repository-url': 'europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging',
    GCP_WORKLOAD_IDENTITY_PROVIDER: 'projects/123/locations/global/workloadIdentityPools/mcp-bridge-staging-gh/providers/github',
    GCP_PLAN_SERVICE_ACCOUNT: 'mcp-bridge-staging-plan@example-mcp-staging.iam.gserviceaccount.com',
    GCP_DEPLOY_SERVICE_ACCOUNT: 'mcp-bridge-staging-deploy@example-mcp-staging.iam.gserviceaccount.com',
  });
  setup.clouds.outputs.set('staging-bootstrap-aws', {
    AWS_PLAN_ROLE_ARN: 'arn:aws:iam::123456789012:role/mcp-bridge-staging-github-plan',
    AWS_DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/mcp-bridge-staging-github-deploy',
  });
}

const bootstrap = (setup: ReturnType<typeof project>, dryRun = false) =>
  runSteps(
    bootstrapSteps({ environment: 'staging', environmentsFile: setup.environmentsFile, runner: setup.clouds, projectRoot: setup.root, print: (line) => setup.printed.push(line) }),
    { dryRun, output: setup.output },
  );

describe('npm run bootstrap', () => {
  it('--dry-run prints the plan and touches no cloud', async () => {
    const setup = project();
    await bootstrap(setup, true);
    expect(setup.clouds.calls).toEqual([]);
    expect(setup.results).toEqual([
      '[1/5] take back what a destroy left soft-deleted: gcloud iam workload-identity-pools undelete mcp-bridge-staging-gh --location=global; ' +
        'gcloud iam workload-identity-pools providers undelete github --workload-identity-pool=mcp-bridge-staging-gh --location=global; ' +
        'gcloud logging buckets undelete mcp-bridge-staging-audit --location=global; ' +
        'aws secretsmanager restore-secret --secret-id mcp-bridge-staging/token-digests, where an earlier destroy of staging left them (their ids stay taken until purged); then terraform import of each into its bootstrap stack',
      expect.stringMatching(/^\[2\/5\] apply staging-bootstrap-gcp: cdktf deploy staging-bootstrap-gcp --auto-approve \(state on this disk, .*terraform\.staging-bootstrap-gcp\.tfstate, until its bucket holds it\)$/),
      expect.stringMatching(/^\[3\/5\] apply staging-bootstrap-aws: /),
      expect.stringMatching(/^\[4\/5\] move the state into the buckets: terraform init -migrate-state in each bootstrap stack: .* → gs:\/\/example-mcp-staging-tfstate, s3:\/\/example-mcp-staging-tfstate$/),
      '[5/5] print the GitHub variables: terraform output of both bootstrap stacks',
    ]);
  });

  it('applies with local state first, moves it into the buckets it created, and prints the GitHub variables', async () => {
    const setup = project();
    playStateFiles(setup);
    await bootstrap(setup);
    const deploys = setup.clouds.calls.filter((call) => call.args[1] === 'deploy');
    expect(deploys.map((call) => [call.args[2], call.env?.MCP_BOOTSTRAP_LOCAL_STATE])).toEqual([
      ['staging-bootstrap-gcp', '1'],
      ['staging-bootstrap-aws', '1'],
    ]);
    expect(setup.clouds.lines.filter((line) => /cdktf synth|migrate-state/.test(line))).toEqual([
      'npx cdktf synth',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp init -migrate-state -force-copy -input=false',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-aws init -migrate-state -force-copy -input=false',
    ]);
    // The synth before the move declares the buckets (no local-state switch).
    expect(setup.clouds.calls.find((call) => call.args[1] === 'synth')!.env).not.toHaveProperty('MCP_BOOTSTRAP_LOCAL_STATE');
    expect(existsSync(join(setup.root, 'terraform.staging-bootstrap-gcp.tfstate'))).toBe(false);
    expect(existsSync(join(setup.root, 'terraform.staging-bootstrap-gcp.tfstate.moved'))).toBe(true);
    expect(setup.printed).toEqual([
      "Set these in the repository (the GitHub environment staging for deploys; the repository itself, prefixed, for pull-request plans):",
      "  gh variable set GCP_WORKLOAD_IDENTITY_PROVIDER --env staging --body 'projects/123/locations/global/workloadIdentityPools/mcp-bridge-staging-gh/providers/github'",
      "  gh variable set GCP_PROJECT --env staging --body 'example-mcp-staging'",
      "  gh variable set GCP_REGION --env staging --body 'europe-west1'",
      "  gh variable set AWS_REGION --env staging --body 'eu-west-1'",
      "  gh variable set MCP_DOMAIN_NAME --env staging --body 'mcp.staging.example.com'",
      "  gh variable set GCP_DEPLOY_SERVICE_ACCOUNT --env staging --body 'mcp-bridge-staging-deploy@example-mcp-staging.iam.gserviceaccount.com'",
      "  gh variable set AWS_DEPLOY_ROLE_ARN --env staging --body 'arn:aws:iam::123456789012:role/mcp-bridge-staging-github-deploy'",
      "  gh variable set STAGING_GCP_WORKLOAD_IDENTITY_PROVIDER --body 'projects/123/locations/global/workloadIdentityPools/mcp-bridge-staging-gh/providers/github'",
      "  gh variable set STAGING_GCP_PROJECT --body 'example-mcp-staging'",
      "  gh variable set STAGING_GCP_REGION --body 'europe-west1'",
      "  gh variable set STAGING_AWS_REGION --body 'eu-west-1'",
      "  gh variable set STAGING_MCP_DOMAIN_NAME --body 'mcp.staging.example.com'",
      "  gh variable set STAGING_GCP_PLAN_SERVICE_ACCOUNT --body 'mcp-bridge-staging-plan@example-mcp-staging.iam.gserviceaccount.com'",
      "  gh variable set STAGING_AWS_PLAN_ROLE_ARN --body 'arn:aws:iam::123456789012:role/mcp-bridge-staging-github-plan'",
    ]);
  });

  it('on a re-run (from any machine), applies against the buckets and has nothing to move', async () => {
    const setup = project();
    playStateFiles(setup);
    for (const object of BOOTSTRAP_STATE) setup.clouds.objects.add(object);
    await bootstrap(setup);
    expect(setup.clouds.calls.filter((call) => call.args[1] === 'deploy').map((call) => call.env?.MCP_BOOTSTRAP_LOCAL_STATE)).toEqual([undefined, undefined]);
    expect(setup.results[3]).toMatch(/^\[4\/5\] move the state into the buckets: already done \(no local bootstrap state is left\), skipped/);
    expect(setup.clouds.lines.some((line) => line.includes('migrate-state'))).toBe(false);
  });

  it('asks each stack’s own bucket whether its state is there: Google’s in GCS, AWS’s in S3', async () => {
    const setup = project();
    playStateFiles(setup);
    // Only the Google stack's state has moved (a run that stopped between the two moves).
    setup.clouds.objects.add(BOOTSTRAP_STATE[0]!);
    await bootstrap(setup);
    expect(setup.clouds.calls.filter((call) => call.args[1] === 'deploy').map((call) => [call.args[2], call.env?.MCP_BOOTSTRAP_LOCAL_STATE])).toEqual([
      ['staging-bootstrap-gcp', undefined],
      ['staging-bootstrap-aws', '1'],
    ]);
    const questions = setup.clouds.lines.filter((line) => /objects describe|head-object/.test(line));
    expect(questions).toEqual([
      expect.stringMatching(/^gcloud storage objects describe gs:\/\/example-mcp-staging-tfstate\/staging\/bootstrap-gcp\/default\.tfstate /),
      expect.stringMatching(/^aws s3api head-object --bucket example-mcp-staging-tfstate --key staging\/bootstrap-aws\.tfstate /),
    ]);
  });

  it('resumes after a failed apply: the stack whose state is still local applies locally again, then it all moves', async () => {
    const setup = project();
    playStateFiles(setup);
    setup.clouds.failNext(/cdktf deploy staging-bootstrap-aws/, 'Error: creating IAM OIDC provider: EntityAlreadyExists: Provider with url https://token.actions.githubusercontent.com already exists.');
    await expect(bootstrap(setup)).rejects.toThrow(
      /^\[3\/5\] apply staging-bootstrap-aws failed:\n  npx cdktf deploy staging-bootstrap-aws --auto-approve --ignore-missing-stack-dependencies exited with 1:\n      Error: creating IAM OIDC provider: EntityAlreadyExists[^\n]*\nnext: read Terraform's error above/,
    );
    expect(existsSync(join(setup.root, 'terraform.staging-bootstrap-gcp.tfstate'))).toBe(true);
    setup.clouds.calls.length = 0;
    await bootstrap(setup);
    expect(setup.clouds.calls.filter((call) => call.args[1] === 'deploy').map((call) => [call.args[2], call.env?.MCP_BOOTSTRAP_LOCAL_STATE])).toEqual([
      ['staging-bootstrap-gcp', '1'],
      ['staging-bootstrap-aws', '1'],
    ]);
    expect(setup.clouds.objects).toEqual(new Set(BOOTSTRAP_STATE));
  });

  it('keeps the state on this disk for an environment with local state, and says there are no CI identities without github', async () => {
    const setup = project((config) => {
      config.staging.state = { backend: 'local' };
      delete config.staging.github;
    });
    playStateFiles(setup);
    await bootstrap(setup);
    expect(setup.clouds.lines.some((line) => /head-object|objects describe|migrate-state/.test(line))).toBe(false);
    expect(setup.results[3]).toMatch(/move the state into the buckets: already done \(state\.backend is local, so the state stays on this disk\), skipped/);
    expect(setup.printed.at(-1)).toBe('  (no CI identities: set github.repository in the config and re-run to create them)');
  });

  it.each<[string[], RegExp]>([
    [[], /name the environment to bootstrap/],
    [['staging', 'production'], /one environment at a time/],
    [['staging', '--force'], /Unknown option '--force'/],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseBootstrapArgs(args)).toThrowError(UsageError);
    expect(() => parseBootstrapArgs(args)).toThrowError(message);
  });
});

/**
 * Plays what the real `cdktf synth` and `terraform import` leave behind: the bootstrap stacks'
 * synthesized configuration (the real one, from the test's config) under the project's
 * `cdktf.out`, and each imported resource in its stack's local state file, with the attributes its
 * configuration gives it.
 */
function playSynthAndImport(setup: ReturnType<typeof project>) {
  const env = loadEnvironment('staging', setup.environmentsFile);
  const folder = (stack: string) => join(setup.root, 'cdktf.out', 'stacks', stack);
  setup.clouds.hooks.push(
    {
      matcher: /^npx cdktf synth$/,
      run: () => {
        const synthesized = synthEnvironment('staging', env);
        for (const [stack, config] of [['staging-bootstrap-gcp', synthesized.bootstrapGcp], ['staging-bootstrap-aws', synthesized.bootstrapAws]] as const) {
          mkdirSync(folder(stack), { recursive: true });
          writeFileSync(join(folder(stack), 'cdk.tf.json'), JSON.stringify(config));
        }
      },
    },
    {
      matcher: /^terraform -chdir=\S+ import /,
      run: (call) => {
        const stack = call.args[0]!.replace(/^-chdir=.*\/stacks\//, '');
        const [type, name] = call.args.at(-2)!.split('.') as [string, string];
        const config = JSON.parse(readFileSync(join(folder(stack), 'cdk.tf.json'), 'utf8')).resource[type][name];
        const file = join(setup.root, `terraform.${stack}.tfstate`);
        const state = existsSync(file) && readFileSync(file, 'utf8') !== '{}' ? JSON.parse(readFileSync(file, 'utf8')) : { version: 4, resources: [] };
        state.resources.push({ mode: 'managed', type, name, instances: [{ attributes: { ...config, id: call.args.at(-1) } }] });
        writeFileSync(file, JSON.stringify(state));
      },
    },
  );
}

/** What `npm run destroy -- staging --include-bootstrap` leaves: the pool and provider soft-deleted, the audit log bucket held, the token secret scheduled for deletion. */
function leaveSoftDeleted(setup: ReturnType<typeof project>) {
  setup.clouds.workloadIdentity.set('mcp-bridge-staging-gh', 'DELETED');
  setup.clouds.workloadIdentity.set('mcp-bridge-staging-gh/github', 'DELETED');
  setup.clouds.logBuckets.set('mcp-bridge-staging-audit', 'DELETE_REQUESTED');
  setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', 'a'.repeat(64));
  setup.clouds.awsSecretStates.set('mcp-bridge-staging/token-digests', 'scheduled for deletion');
}

describe('npm run bootstrap of an environment destroyed before', () => {
  const takeBack = (lines: readonly string[]) => lines.filter((line) => /undelete|restore-secret|cdktf synth|-chdir=\S+ init -input|import/.test(line));

  it('the fakes play the 409 a bootstrap gets without taking them back (the providers create under the soft-deleted ids)', async () => {
    const setup = project();
    leaveSoftDeleted(setup);
    await expect(setup.clouds.run('npx', ['cdktf', 'deploy', 'staging-bootstrap-gcp'])).resolves.toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/Error 409: Requested entity already exists/) });
    setup.clouds.workloadIdentity.clear();
    await expect(setup.clouds.run('npx', ['cdktf', 'deploy', 'staging-bootstrap-gcp'])).resolves.toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/Buckets must be in an ACTIVE state to be modified/) });
    leaveSoftDeleted(setup);
    await expect(setup.clouds.run('npx', ['cdktf', 'deploy', 'staging-bootstrap-aws'])).resolves.toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/already scheduled for deletion/) });
    await expect(setup.clouds.run('terraform', ['-chdir=x', 'import', '-input=false', 'a.b', 'projects/p/locations/global/workloadIdentityPools/mcp-bridge-staging-gh'])).resolves.toMatchObject({ exitCode: 1 });
  });

  it('on a fresh environment, finds nothing soft-deleted and touches nothing', async () => {
    const setup = project();
    playStateFiles(setup);
    await bootstrap(setup);
    expect(setup.results[0]).toMatch(/^\[1\/5\] take back what a destroy left soft-deleted: already done \(the clouds hold none of 4 soft-deletable resource\(s\) yet\), skipped/);
    expect(takeBack(setup.clouds.lines)).toEqual(['npx cdktf synth']);
    expect(setup.clouds.lines.slice(0, 4)).toEqual([
      'gcloud iam workload-identity-pools describe mcp-bridge-staging-gh --location=global --format=value(state) --project example-mcp-staging --quiet',
      'gcloud iam workload-identity-pools providers describe github --workload-identity-pool=mcp-bridge-staging-gh --location=global --format=value(state) --project example-mcp-staging --quiet',
      'gcloud logging buckets describe mcp-bridge-staging-audit --location=global --format=value(lifecycleState) --project example-mcp-staging --quiet',
      'aws secretsmanager describe-secret --secret-id mcp-bridge-staging/token-digests --region eu-west-1 --output json',
    ]);
  });

  it('undeletes the workload identity pool and provider and the audit log bucket, restores the secret, imports each (the pool by project id), then applies', async () => {
    const setup = project();
    playStateFiles(setup);
    playSynthAndImport(setup);
    leaveSoftDeleted(setup);
    await bootstrap(setup);
    const pool = 'projects/example-mcp-staging/locations/global/workloadIdentityPools/mcp-bridge-staging-gh';
    expect(takeBack(setup.clouds.lines)).toEqual([
      'gcloud iam workload-identity-pools undelete mcp-bridge-staging-gh --location=global --project example-mcp-staging --quiet',
      'gcloud iam workload-identity-pools providers undelete github --workload-identity-pool=mcp-bridge-staging-gh --location=global --project example-mcp-staging --quiet',
      'gcloud logging buckets undelete mcp-bridge-staging-audit --location=global --project example-mcp-staging --quiet',
      'aws secretsmanager restore-secret --secret-id mcp-bridge-staging/token-digests --region eu-west-1 --output json',
      'npx cdktf synth',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp init -input=false',
      expect.stringMatching(new RegExp(`^terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp import -input=false google_iam_workload_identity_pool\\.github_pool_[0-9A-F]{8} ${pool}$`)),
      expect.stringMatching(new RegExp(`^terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp import -input=false google_iam_workload_identity_pool_provider\\.github_provider_[0-9A-F]{8} ${pool}/providers/github$`)),
      expect.stringMatching(/^terraform -chdir=cdktf.out\/stacks\/staging-bootstrap-gcp import -input=false google_logging_project_bucket_config\.audit_bucket_[0-9A-F]{8} projects\/example-mcp-staging\/locations\/global\/buckets\/mcp-bridge-staging-audit$/),
      'npx cdktf synth',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-aws init -input=false',
      expect.stringMatching(/^terraform -chdir=cdktf.out\/stacks\/staging-bootstrap-aws import -input=false aws_secretsmanager_secret\.secret-token-digests arn:aws:secretsmanager:eu-west-1:123456789012:secret:mcp-bridge-staging\/token-digests-AbCdEf$/),
      // The move's synth, once both stacks have applied.
      'npx cdktf synth',
    ]);
    // Synth and import ran with the state on this disk, where the applies keep it (the buckets went with the destroy).
    expect(setup.clouds.calls.filter((call) => /synth|import|init -input/.test(call.args.join(' '))).slice(0, 6).map((call) => call.env?.MCP_BOOTSTRAP_LOCAL_STATE)).toEqual(['1', '1', '1', '1', '1', '1']);
    expect(setup.results[0]).toMatch(
      /take back what a destroy left soft-deleted: undeleted the workload identity pool mcp-bridge-staging-gh; undeleted the workload identity pool provider mcp-bridge-staging-gh\/github; undeleted the log bucket mcp-bridge-staging-audit; undeleted the Secrets Manager secret mcp-bridge-staging\/token-digests; imported .*; the restored secrets hold what they held before the destroy: the tokens issued then are accepted again once deployed/,
    );
    expect(setup.results.slice(1, 3)).toEqual([expect.stringMatching(/apply staging-bootstrap-gcp: applied/), expect.stringMatching(/apply staging-bootstrap-aws: applied/)]);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe('a'.repeat(64));
  });

  it('resumes after a failed import: what is active but not in its state is imported, without undeleting it again', async () => {
    const setup = project();
    playStateFiles(setup);
    playSynthAndImport(setup);
    leaveSoftDeleted(setup);
    setup.clouds.failNext(/import .*providers\/github$/, 'Error: googleapi: Error 503: The service is currently unavailable.');
    await expect(bootstrap(setup)).rejects.toThrow(/^\[1\/5\] take back what a destroy left soft-deleted failed:[\s\S]*Error 503[\s\S]*iam\.workloadIdentityPoolProviders\.undelete/);
    setup.clouds.calls.length = 0;
    await bootstrap(setup);
    // The first run undeleted all three before it imported: none is undeleted again.
    expect(takeBack(setup.clouds.lines)).toEqual([
      'npx cdktf synth',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp init -input=false',
      expect.stringMatching(/import -input=false google_iam_workload_identity_pool_provider\.github_provider_[0-9A-F]{8} projects\/example-mcp-staging\/.*\/providers\/github$/),
      expect.stringMatching(/import -input=false google_logging_project_bucket_config\.audit_bucket_[0-9A-F]{8} /),
      'npx cdktf synth',
      'terraform -chdir=cdktf.out/stacks/staging-bootstrap-aws init -input=false',
      expect.stringMatching(/import -input=false aws_secretsmanager_secret\./),
      'npx cdktf synth',
    ]);
    // Once everything is back and in its state, a further bootstrap has nothing to take back.
    setup.clouds.calls.length = 0;
    setup.results.length = 0;
    await bootstrap(setup);
    expect(setup.results[0]).toMatch(/take back what a destroy left soft-deleted: already done \(each is active and in its stack's state\), skipped/);
  });

  it('without github, has only the audit log bucket and the secret to take back', async () => {
    const setup = project((config) => delete config.staging.github);
    await bootstrap(setup, true);
    expect(setup.results[0]).toBe(
      "[1/5] take back what a destroy left soft-deleted: gcloud logging buckets undelete mcp-bridge-staging-audit --location=global; aws secretsmanager restore-secret --secret-id mcp-bridge-staging/token-digests, where an earlier destroy of staging left them (their ids stay taken until purged); then terraform import of each into its bootstrap stack",
    );
  });
});

describe('npm run token -- <env> rotate', () => {
  const OLD = ['1'.repeat(64), '2'.repeat(64)];
  const rotate = (setup: ReturnType<typeof project>, now: Date, revealed: string[], graceHours = 24) =>
    runSteps(
      rotateSteps({ environment: 'staging', environmentsFile: setup.environmentsFile, runner: setup.clouds, graceHours, now: () => now, reveal: (token) => revealed.push(token) }),
      { output: setup.output },
    );

  it('adds a token on both clouds, keeps the previous one, and retires older ones once the last rotation is past the grace period', async () => {
    const setup = project();
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: OLD.join(','), createTime: '2026-11-20T12:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', OLD.join(','));
    const revealed: string[] = [];
    await rotate(setup, new Date('2026-11-25T12:00:00Z'), revealed);
    const digest = createHash('sha256').update(revealed[0]!).digest('hex');
    const expected = `default:${digest},${OLD[0]}`;
    expect(setup.clouds.googleSecrets.get('mcp-bridge-staging-token-sha256')!.at(-1)!.value).toBe(expected);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(expected);
    expect(setup.results[0]).toMatch(/rotate the token: added a token named default \(shown once above\); 1 older token\(s\) of default still valid, 1 retired/);
  });

  it('writes the secret under its former name too while it exists, so the Lambdas still reading it accept the new token', async () => {
    const setup = project();
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: OLD.join(','), createTime: '2026-11-25T11:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-sha256', OLD.join(','));
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', OLD.join(','));
    const revealed: string[] = [];
    await rotate(setup, new Date('2026-11-25T12:00:00Z'), revealed);
    const expected = `default:${createHash('sha256').update(revealed[0]!).digest('hex')},${OLD.join(',')}`;
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(expected);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-sha256')).toBe(expected);
  });

  it('keeps every older token while the last rotation is within the grace period', () => {
    const written = new Date('2026-11-25T00:00:00Z');
    expect(rotatedDigests(OLD, written, 'n', 24, new Date('2026-11-25T10:00:00Z'))).toEqual(['n', ...OLD]);
    expect(rotatedDigests(OLD, written, 'n', 24, new Date('2026-11-26T00:00:00Z'))).toEqual(['n', OLD[0]]);
    expect(rotatedDigests(OLD, written, 'n', 0, new Date('2026-11-25T00:00:00Z'))).toEqual(['n', OLD[0]]);
  });

  it('refuses to rotate what does not exist yet, and an environment without tokens', async () => {
    const setup = project();
    await expect(rotate(setup, new Date(), [])).rejects.toThrow(/rotate the token failed:\n  mcp-bridge-staging-token-sha256 holds no token yet: npm run deploy -- staging creates the first/);
    const oauth = project((config) => (config.staging.auth = { mode: 'oauth', issuer: 'https://login.example.com' }));
    expect(() => rotateSteps({ environment: 'staging', environmentsFile: oauth.environmentsFile, runner: oauth.clouds, graceHours: 24, now: () => new Date(), reveal: () => undefined })).toThrowError(
      /staging uses auth mode oauth: it has no tokens to rotate/,
    );
  });

  it('rotates one named token, keeping the other names\' tokens, and shows what the access rules grant it', async () => {
    const setup = project((config) => (config.staging.access = { default: 'deny', grants: [{ server: 'builtin', tools: ['health_check'], tokens: ['team-a'] }] }));
    const held = ['team-a:' + '5'.repeat(64), 'team-b:' + '6'.repeat(64), 'team-a:' + '7'.repeat(64)];
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: held.join(','), createTime: '2026-11-20T12:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', held.join(','));
    const revealed: Array<[string, string, string]> = [];
    await runSteps(
      rotateSteps({ environment: 'staging', environmentsFile: setup.environmentsFile, runner: setup.clouds, graceHours: 24, name: 'team-a', now: () => new Date('2026-11-25T12:00:00Z'), reveal: (...shown) => revealed.push(shown) }),
      { output: setup.output },
    );
    const [[token, name, grants]] = revealed as [[string, string, string]];
    expect([name, grants]).toEqual(['team-a', 'builtin: health_check']);
    const expected = [`team-a:${createHash('sha256').update(token).digest('hex')}`, held[0], held[1]].join(',');
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(expected);
    expect(setup.results[0]).toMatch(/added a token named team-a \(shown once above\); 1 older token\(s\) of team-a still valid, 1 retired/);
  });

  it('revokes every token of a name on both clouds, and never the last name', async () => {
    const setup = project();
    const held = ['team-a:' + '5'.repeat(64), 'team-b:' + '6'.repeat(64), 'team-a:' + '7'.repeat(64)];
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: held.join(','), createTime: '2026-11-20T12:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', held.join(','));
    const revoke = (name: string) =>
      runSteps(revokeSteps({ environment: 'staging', environmentsFile: setup.environmentsFile, runner: setup.clouds, graceHours: 24, name, now: () => new Date(), reveal: () => undefined }), { output: setup.output });
    await revoke('team-a');
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(held[1]);
    expect(setup.clouds.googleSecrets.get('mcp-bridge-staging-token-sha256')!.at(-1)!.value).toBe(held[1]);
    expect(setup.results[0]).toMatch(/revoked 2 token\(s\) named team-a; 1 token\(s\) of team-b still valid/);
    await expect(revoke('team-c')).rejects.toThrow(/holds no token named team-c \(its names: team-b\)/);
    await expect(revoke('team-b')).rejects.toThrow(/team-b holds the last tokens of staging: the bridge would accept none/);
  });

  it.each<[string[], RegExp]>([
    [['staging'], /expected <environment> rotate, <environment> revoke --name N or <environment> sync, got "staging"/],
    [['staging', 'revoke'], /revoke: name the token to revoke with --name/],
    [['staging', 'rotate', '--name', 'Team A'], /--name Team A: a token name is 1-32 lowercase letters/],
    [['staging', 'sync', '--name', 'team-a'], /--name: sync copies every token, it takes no name/],
    [['staging', 'sync', '--grace-hours', '2'], /--grace-hours: only rotate takes it/],
    [['staging', 'sync', 'now'], /expected <environment> rotate, <environment> revoke --name N or <environment> sync, got "staging sync now"/],
    [['staging', 'rotate', '--grace-hours=-1'], /--grace-hours -1: hours, from 0 to 2160/],
    [['staging', 'rotate', '--grace-hours', 'soon'], /--grace-hours soon: hours, from 0 to 2160/],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseTokenArgs(args)).toThrowError(message);
  });
});

describe('npm run token -- <env> sync', () => {
  const DIGESTS = ['3'.repeat(64), '4'.repeat(64)].join(',');
  const sync = (setup: ReturnType<typeof project>) =>
    runSteps(syncSteps({ environment: 'staging', environmentsFile: setup.environmentsFile, runner: setup.clouds, graceHours: 24, now: () => new Date(), reveal: () => undefined }), { output: setup.output });

  it('moves an environment deployed before the rename: the digests of <service>/token-sha256 go to <service>/token-digests and Secret Manager', async () => {
    const setup = project();
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-sha256', DIGESTS);
    await sync(setup);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(DIGESTS);
    expect(setup.clouds.googleSecrets.get('mcp-bridge-staging-token-sha256')!.at(-1)!.value).toBe(DIGESTS);
    expect(setup.results[0]).toMatch(/copied the 2 digest\(s\) of mcp-bridge-staging\/token-sha256 \(its former name\) to mcp-bridge-staging-token-sha256 and mcp-bridge-staging\/token-digests/);
  });

  it("prefers Secret Manager's digests, finishing a rotation that stopped half-way", async () => {
    const setup = project();
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: DIGESTS, createTime: '2026-11-25T11:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-digests', '5'.repeat(64));
    await sync(setup);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(DIGESTS);
    expect(setup.clouds.awsSecrets.has('mcp-bridge-staging/token-sha256')).toBe(false);
  });

  it('does not write a former secret that is scheduled for deletion (Secrets Manager refuses it)', async () => {
    const setup = project();
    setup.clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: DIGESTS, createTime: '2026-11-25T11:00:00Z' }]);
    setup.clouds.awsSecrets.set('mcp-bridge-staging/token-sha256', '5'.repeat(64));
    setup.clouds.awsSecretStates.set('mcp-bridge-staging/token-sha256', 'scheduled for deletion');
    await sync(setup);
    expect(setup.clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(DIGESTS);
    expect(setup.clouds.lines.some((line) => /put-secret-value --secret-id mcp-bridge-staging\/token-sha256/.test(line))).toBe(false);
  });

  it('refuses when no secret holds a digest, saying how the first token is made', async () => {
    const setup = project();
    await expect(sync(setup)).rejects.toThrow(/sync the token digests failed:\n  no token secret of staging holds a digest: npm run deploy -- staging creates the first token/);
  });
});
