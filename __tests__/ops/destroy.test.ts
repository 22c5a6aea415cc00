// `npm run destroy` against recording fakes of cdktf, terraform, gcloud and aws (no cloud is
// reachable from here): the list printed first, the typed confirmations, the production refusal,
// the order (edge → aws → gcp, then the bootstrap and, last, the state buckets), the secrets'
// recovery window, the resume after a failure, and the command line.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DestroyRefused, parseDestroyArgs, runDestroy, type DestroyContext } from '../../ops/destroy.js';
import { Aws } from '../../ops/clouds/aws.js';
import { terminalPrompt } from '../../ops/destroy/confirmation.js';
import { StepFailure } from '../../ops/runner/step-runner.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { loadEnvironment } from '../../ops/environment-file.js';
import { stateLocation } from '../../stacks/remote-state.js';
import { FakeClouds } from '../support/fake-clouds.js';
import { projectFolder } from '../support/project-folder.js';

const REPOSITORY = 'europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge';
const GCS = 'gs://example-mcp-staging-tfstate';
const S3 = 's3://example-mcp-staging-tfstate';
const SOURCES = 'gs://example-mcp-staging-staging-build-sources';
const AWS_SECRET = 'mcp-bridge-staging/token-digests';

/** A Terraform state (format 4) listing these managed resources, and a data source that is never listed. */
function terraformState(resources: Array<[type: string, name: string, attributes?: Record<string, unknown>, indexKey?: string | number]>): string {
  return JSON.stringify({
    version: 4,
    terraform_version: '1.11.4',
    serial: 7,
    lineage: 'c0ffee',
    outputs: {},
    resources: [
      { mode: 'data', type: 'aws_iam_policy_document', name: 'doc', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ schema_version: 0, attributes: {} }] },
      ...resources.map(([type, name, attributes = {}, indexKey]) => ({
        mode: 'managed',
        type,
        name,
        provider: 'provider',
        instances: [{ ...(indexKey === undefined ? {} : { index_key: indexKey }), schema_version: 0, attributes }],
      })),
    ],
  });
}
const EMPTY_STATE = terraformState([]);

/** What each stack of staging holds once deployed (a few resources of each, as their states list them). */
const DEPLOYED: Record<string, string> = {
  edge: terraformState([
    ['aws_route53_health_check', 'failover_primary-health_1A2B3C4D'],
    ['aws_route53_record', 'failover_primary_5E6F7A8B'],
  ]),
  aws: terraformState([
    ['aws_lambda_function', 'bridge_function_01ED99D1'],
    ['aws_cloudwatch_log_group', 'bridge_logs_5DECD93B'],
    ['aws_sns_topic', 'alarms_topic_CB6504A9'],
    ['aws_route53_record', 'http-api_certificate-validation-record_4B97E9F2', {}, 'mcp.staging.example.com'],
  ]),
  gcp: terraformState([
    ['google_cloud_run_v2_service', 'bridge_service_DEADBEEF', { name: 'mcp-bridge-staging', deletion_protection: false }],
    ['google_compute_global_address', 'load-balancer_address_12345678'],
  ]),
  'bootstrap-aws': terraformState([
    ['aws_s3_bucket', 'state_bucket_803B4E61', { bucket: 'example-mcp-staging-tfstate' }],
    ['aws_s3_bucket_versioning', 'state_versioning_27DF9ED5', { bucket: 'example-mcp-staging-tfstate' }],
    ['aws_s3_bucket_policy', 'state_policy_DB2E7E78', { bucket: 'example-mcp-staging-tfstate' }],
    ['aws_secretsmanager_secret', 'secret-token-digests', { name: AWS_SECRET, recovery_window_in_days: 30 }],
    ['aws_iam_role', 'github_deploy-role_469007E9'],
  ]),
  'bootstrap-gcp': terraformState([
    ['google_storage_bucket', 'state_bucket_803B4E61', { name: 'example-mcp-staging-tfstate' }],
    ['google_storage_bucket', 'build-sources', { name: 'example-mcp-staging-staging-build-sources' }],
    ['google_artifact_registry_repository', 'repository'],
    ['google_secret_manager_secret', 'secret-MCP_TOKEN_SHA256'],
  ]),
};

/** The state object of a stack of staging, as its backend names it. */
function stateUrl(kind: string): string {
  const location = stateLocation(loadEnvironment('staging', environmentsFileOf.current!), kind as never);
  if (location.backend === 'gcs') return `gs://${location.bucket}/${location.object}`;
  if (location.backend === 's3') return `s3://${location.bucket}/${location.key}`;
  return location.file;
}
const environmentsFileOf: { current?: string } = {};

/** A project folder and fakes for staging (the config changed by `change`), and a teardown to run against them. */
function setUp(change: (config: Record<string, any>) => void = () => undefined) {
  const { root, environmentsFile } = projectFolder(change);
  environmentsFileOf.current = environmentsFile;
  const clouds = new FakeClouds();
  const log = { printed: [] as string[], results: [] as string[], asked: [] as Array<{ question: string; callsSoFar: string[] }> };
  let answers: string[] = ['staging', 'staging'];
  const context: DestroyContext = {
    environment: 'staging',
    environmentsFile,
    runner: clouds,
    projectRoot: root,
    prompt: async (question) => {
      log.asked.push({ question, callsSoFar: [...clouds.lines] });
      return answers.shift() ?? '';
    },
    print: (line) => log.printed.push(line),
  };
  const run = (options: Partial<DestroyContext> = {}, dryRun = false) =>
    runDestroy({ ...context, ...options }, { dryRun, output: { progress: () => undefined, result: (line) => log.results.push(line) } });
  return { root, environmentsFile, clouds, log, run, answer: (...typed: string[]) => (answers = typed) };
}

type Setup = ReturnType<typeof setUp>;

/**
 * Staging as it runs: every stack's state in its bucket (with older versions, a lock file, a delete
 * marker), two images, two revisions, the log groups, the secret, Cloud Build's sources, the deploy
 * journal; and what the real cdktf and terraform would do to it: a destroy leaves an empty state
 * where the stack's backend (or, for a bootstrap stack with MCP_BOOTSTRAP_LOCAL_STATE, this disk)
 * keeps it, and `state rm` takes resources out of the local state.
 */
function deployed(setup: Setup) {
  const { clouds, root } = setup;
  const remote = stateUrl('edge').includes('://');
  for (const [kind, state] of Object.entries(DEPLOYED)) {
    if (!remote) {
      writeFileSync(join(root, stateUrl(kind)), state);
      continue;
    }
    clouds.putObject(stateUrl(kind), terraformState([]));
    clouds.putObject(stateUrl(kind), state);
  }
  if (remote) {
    clouds.putObject(`${S3}/staging/aws.tfstate.tflock`, '{"ID":"lock"}');
    clouds.putObject(`${S3}/staging/aws.tfstate.tflock`);
  }
  clouds.images.set(`${REPOSITORY}:abc1234`, `sha256:${'a'.repeat(64)}`);
  clouds.images.set(`${REPOSITORY}:def5678`, `sha256:${'b'.repeat(64)}`);
  clouds.images.set('europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/other:1', `sha256:${'e'.repeat(64)}`);
  clouds.revisions.set('europe-west1/mcp-bridge-staging', ['mcp-bridge-staging-0123456789', 'mcp-bridge-staging-9876543210']);
  for (const name of ['/aws/lambda/mcp-bridge-staging', '/aws/apigateway/mcp-bridge-staging', '/aws/lambda/mcp-bridge-staging2']) clouds.logGroups.add(`eu-west-1:${name}`);
  clouds.awsSecretStates.set(AWS_SECRET, 'active');
  clouds.awsSecrets.set(AWS_SECRET, 'a'.repeat(64));
  clouds.putObject(`${SOURCES}/source/1700000000.1-abc.tgz`, 'tgz');
  clouds.putObject(`${SOURCES}/source/1700000001.2-def.tgz`, 'tgz');
  mkdirSync(join(root, '.deploy'), { recursive: true });
  writeFileSync(join(root, '.deploy/staging.json'), '{"inputs":"x","done":["staging-gcp"]}');

  const localFile = (stack: string) => join(root, `terraform.${stack}.tfstate`);
  clouds.hooks.push(
    {
      matcher: /^npx cdktf destroy /,
      run: (call) => {
        const stack = call.args[2]!;
        const kind = stack.replace(/^staging-/, '');
        if (call.env?.MCP_BOOTSTRAP_LOCAL_STATE === '1' || !stateUrl(kind).includes('://')) writeFileSync(localFile(stack), EMPTY_STATE);
        else clouds.putObject(stateUrl(kind), EMPTY_STATE);
        // What Terraform removes with each stack, of what the fakes hold.
        if (kind === 'aws') clouds.logGroups.delete('eu-west-1:/aws/apigateway/mcp-bridge-staging'); // …and leaves /aws/lambda/… behind, say an older release's
        if (kind === 'bootstrap-aws' && clouds.awsSecretStates.has(AWS_SECRET)) clouds.awsSecretStates.set(AWS_SECRET, 'scheduled for deletion'); // recovery_window_in_days 30
        if (kind === 'bootstrap-gcp' && clouds.buckets.get(SOURCES)?.length === 0) clouds.buckets.delete(SOURCES); // force_destroy is off: only when empty
      },
    },
    {
      matcher: /^terraform -chdir=\S+ state rm /,
      run: (call) => {
        const stack = call.args[0]!.replace(/^-chdir=.*\/stacks\//, '');
        const state = JSON.parse(readFileSync(localFile(stack), 'utf8'));
        const removed = new Set(call.args.slice(3));
        state.resources = state.resources.filter((resource: { mode: string; type: string; name: string }) => resource.mode !== 'managed' || !removed.has(`${resource.type}.${resource.name}`));
        writeFileSync(localFile(stack), JSON.stringify(state));
      },
    },
  );
}

/** Commands that only read. */
const READ_ONLY = /^(gcloud storage (cat|ls|buckets describe)|gcloud run revisions list|gcloud artifacts docker images list|aws s3 cp s3:\S+ - |aws s3api list-object-versions|aws logs describe-log-groups|aws secretsmanager describe-secret)/;
const changes = (clouds: FakeClouds) => clouds.lines.filter((line) => !READ_ONLY.test(line));
const withoutTimes = (lines: readonly string[]) => lines.map((line) => line.replace(/ \(\d+\.\d s, \d+\.\d s in all\)$/, ''));

describe('npm run destroy', () => {
  it('--dry-run prints the list and every step, and changes nothing (no confirmation is asked)', async () => {
    const setup = setUp();
    deployed(setup);
    await setup.run({ includeBootstrap: true }, true);
    expect(changes(setup.clouds)).toEqual([]);
    expect(setup.log.asked).toEqual([]);
    expect(existsSync(join(setup.root, '.deploy/staging.json'))).toBe(true);
    expect(existsSync(join(setup.root, 'terraform.staging-bootstrap-aws.tfstate'))).toBe(false);
    expect(setup.log.printed[0]).toBe('npm run destroy -- staging removes, in this order:');
    expect(setup.log.results).toEqual([
      '[1/13] forget the last deploy: delete .deploy/staging.json, so that the next npm run deploy applies every stack again',
      '[2/13] destroy staging-edge: cdktf destroy staging-edge --auto-approve --ignore-missing-stack-dependencies',
      '[3/13] destroy staging-aws: cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      '[4/13] destroy staging-gcp: cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      `[5/13] delete the images: gcloud artifacts packages delete bridge --repository mcp-bridge-staging --location europe-west1: every image npm run deploy pushed to ${REPOSITORY}`,
      '[6/13] delete leftover log groups: aws logs delete-log-group for /aws/lambda/mcp-bridge-staging and /aws/apigateway/mcp-bridge-staging in eu-west-1, where Terraform left one',
      '[7/13] confirm the bootstrap teardown: type staging again',
      `[8/13] empty the build sources bucket: gcloud storage rm --all-versions ${SOURCES}/**: Cloud Build's staged sources (Terraform will not delete a bucket that holds objects: force_destroy is off)`,
      `[9/13] move the bootstrap state to this disk: ${S3}/staging/bootstrap-aws.tfstate → terraform.staging-bootstrap-aws.tfstate, ${GCS}/staging/bootstrap-gcp/default.tfstate → terraform.staging-bootstrap-gcp.tfstate: the buckets holding it are deleted last`,
      '[10/13] destroy staging-bootstrap-aws: cdktf destroy staging-bootstrap-aws --auto-approve --ignore-missing-stack-dependencies (state on this disk, terraform.staging-bootstrap-aws.tfstate; the state bucket left out of it)',
      '[11/13] destroy staging-bootstrap-gcp: cdktf destroy staging-bootstrap-gcp --auto-approve --ignore-missing-stack-dependencies (state on this disk, terraform.staging-bootstrap-gcp.tfstate; the state bucket left out of it)',
      `[12/13] delete the state bucket ${GCS}: gcloud storage rm --recursive ${GCS}: every generation of every object, then the bucket, once each state in it lists no resources`,
      `[13/13] delete the state bucket ${S3}: aws s3api list-object-versions, delete-objects (every version and delete marker), delete-bucket ${S3}, once each state in it lists no resources`,
    ]);
  });

  it('prints what will be removed first, read from each stack\'s state (an unapplied stack as nothing deployed), before anything is asked or changed', async () => {
    const setup = setUp();
    deployed(setup);
    setup.clouds.putObject(stateUrl('edge'), EMPTY_STATE);
    await setup.run();
    expect(setup.log.asked).toHaveLength(1);
    expect(setup.log.asked[0]!.question).toBe('Type staging to destroy it: ');
    expect(setup.log.asked[0]!.callsSoFar.filter((line) => !READ_ONLY.test(line))).toEqual([]);
    expect(setup.log.printed).toEqual([
      'npm run destroy -- staging removes, in this order:',
      `  staging-edge, state in ${S3}/staging/edge.tfstate: nothing deployed`,
      `  staging-aws, state in ${S3}/staging/aws.tfstate: 4 resource(s)`,
      '    aws_lambda_function.bridge_function_01ED99D1',
      '    aws_cloudwatch_log_group.bridge_logs_5DECD93B',
      '    aws_sns_topic.alarms_topic_CB6504A9',
      '    aws_route53_record.http-api_certificate-validation-record_4B97E9F2["mcp.staging.example.com"]',
      `  staging-gcp, state in ${GCS}/staging/gcp/default.tfstate: 2 resource(s)`,
      '    google_cloud_run_v2_service.bridge_service_DEADBEEF',
      '    google_compute_global_address.load-balancer_address_12345678',
      '    Cloud Run mcp-bridge-staging in europe-west1: revisions mcp-bridge-staging-0123456789, mcp-bridge-staging-9876543210 (deleted with the service)',
      `  images npm run deploy pushed to ${REPOSITORY}: 2`,
      `    sha256:${'a'.repeat(64)}`,
      `    sha256:${'b'.repeat(64)}`,
      '  log groups /aws/lambda/mcp-bridge-staging, /aws/apigateway/mcp-bridge-staging in eu-west-1, should Terraform leave them',
      '  the deploy journal .deploy/staging.json (so the next deploy applies every stack)',
      'kept: staging-bootstrap-aws and staging-bootstrap-gcp (state buckets, image repository, secrets, CI identities): --include-bootstrap removes them too',
    ]);
  });

  it('tears staging down in order once its name is typed: edge → aws → gcp, then the images and the log groups Terraform left; the bootstrap is kept', async () => {
    const setup = setUp();
    deployed(setup);
    await setup.run();
    expect(changes(setup.clouds)).toEqual([
      'npx cdktf destroy staging-edge --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      'gcloud artifacts packages delete bridge --repository mcp-bridge-staging --location europe-west1 --project example-mcp-staging --quiet',
      'aws logs delete-log-group --log-group-name /aws/lambda/mcp-bridge-staging --region eu-west-1 --output json',
    ]);
    expect(setup.clouds.calls.find((call) => call.args[1] === 'destroy')!.env).toMatchObject({ MCP_ENVIRONMENTS_FILE: setup.environmentsFile });
    expect(withoutTimes(setup.log.results)).toEqual([
      '[1/6] forget the last deploy: deleted .deploy/staging.json',
      '[2/6] destroy staging-edge: destroyed 2 resource(s)',
      '[3/6] destroy staging-aws: destroyed 4 resource(s)',
      '[4/6] destroy staging-gcp: destroyed 2 resource(s)',
      '[5/6] delete the images: deleted 2 image(s)',
      '[6/6] delete leftover log groups: deleted /aws/lambda/mcp-bridge-staging in eu-west-1',
    ]);
    expect(existsSync(join(setup.root, '.deploy/staging.json'))).toBe(false);
    // Only what this project made, by name: another image package and another environment's log group stay.
    expect([...setup.clouds.images.keys()]).toEqual(['europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/other:1']);
    expect([...setup.clouds.logGroups]).toEqual(['eu-west-1:/aws/lambda/mcp-bridge-staging2']);
    // The bootstrap, its secret and the state buckets are untouched.
    expect(setup.clouds.currentObject(stateUrl('bootstrap-aws'))).toBe(DEPLOYED['bootstrap-aws']);
    expect(setup.clouds.awsSecretStates.get(AWS_SECRET)).toBe('active');
    expect(setup.clouds.buckets.has(GCS)).toBe(true);
  });

  it('destroys every AWS region\'s stack, the home region\'s last, after the edge and before gcp, and looks for log groups in each region', async () => {
    const setup = setUp((config) => (config.staging.aws = { regions: ['eu-west-1', 'us-east-1'] }));
    deployed(setup);
    setup.clouds.putObject(`${S3}/staging/aws-us-east-1.tfstate`, DEPLOYED.aws!);
    setup.clouds.logGroups.add('us-east-1:/aws/apigateway/mcp-bridge-staging');
    await setup.run({ yes: true });
    expect(changes(setup.clouds).filter((line) => /cdktf destroy|delete-log-group/.test(line))).toEqual([
      'npx cdktf destroy staging-edge --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf destroy staging-aws-us-east-1 --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      'aws logs delete-log-group --log-group-name /aws/lambda/mcp-bridge-staging --region eu-west-1 --output json',
      'aws logs delete-log-group --log-group-name /aws/apigateway/mcp-bridge-staging --region us-east-1 --output json',
    ]);
  });

  describe('the typed confirmation', () => {
    it('refuses a wrong name, touching nothing', async () => {
      const setup = setUp();
      deployed(setup);
      setup.answer('stagin');
      const refusal = await setup.run().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DestroyRefused);
      expect((refusal as Error).message).toBe('"stagin" was typed, not "staging": nothing was touched');
      expect(changes(setup.clouds)).toEqual([]);
      expect(existsSync(join(setup.root, '.deploy/staging.json'))).toBe(true);
    });

    it('refuses without a terminal to type on unless --yes, touching nothing', async () => {
      const setup = setUp();
      deployed(setup);
      await expect(setup.run({ prompt: undefined })).rejects.toThrow(new DestroyRefused('no terminal to type "staging" on: run it in a terminal, or pass --yes; nothing was touched'));
      expect(changes(setup.clouds)).toEqual([]);
      await setup.run({ prompt: undefined, yes: true });
      expect(changes(setup.clouds)).toContain('npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies');
    });

    it('with --yes asks nothing', async () => {
      const setup = setUp();
      deployed(setup);
      await setup.run({ yes: true, includeBootstrap: true });
      expect(setup.log.asked).toEqual([]);
      expect(setup.log.results[6]).toMatch(/^\[7\/13\] confirm the bootstrap teardown: confirmed by --yes/);
    });

    it('reads the answer from a terminal, and never from a pipe (node:readline)', async () => {
      expect(terminalPrompt(new PassThrough(), new PassThrough())).toBeUndefined();
      const input = Object.assign(new PassThrough(), { isTTY: true });
      const output = new PassThrough();
      const prompt = terminalPrompt(input, output)!;
      const answer = prompt('Type staging to destroy it: ');
      input.write('staging\n');
      await expect(answer).resolves.toBe('staging');
      expect(output.read()!.toString()).toBe('Type staging to destroy it: ');
    });
  });

  describe('production', () => {
    it('is refused while its config keeps deletion protection on, before any cloud is asked, with the steps that lift it', async () => {
      const setup = setUp();
      const refusal = await setup.run({ environment: 'production', yes: true }).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(DestroyRefused);
      expect((refusal as Error).message).toBe(
        'production (production tier) has deletion protection on: its Cloud Run services may not be destroyed. To tear it down:\n' +
          `  1. set "deletionProtection": false for production in ${setup.environmentsFile}, in a pull request, and merge it once reviewed\n` +
          "  2. deploy the gcp stack, so that Terraform's state has deletion_protection = false on the Cloud Run services (the google provider refuses to destroy a service while its state says true): npm run deploy -- production, or npx cdktf deploy production-gcp\n" +
          '  3. run npm run destroy -- production again',
      );
      expect(setup.clouds.calls).toEqual([]);
    });

    it('is refused while the gcp stack\'s state still protects a service, after the list, with the steps left', async () => {
      const setup = setUp((config) => (config.production.deletionProtection = false));
      setup.clouds.putObject(
        'gs://example-mcp-production-tfstate/production/gcp/default.tfstate',
        terraformState([['google_cloud_run_v2_service', 'bridge_service_DEADBEEF', { name: 'mcp-bridge-production', deletion_protection: true }]]),
      );
      await expect(setup.run({ environment: 'production', yes: true })).rejects.toThrow(
        new DestroyRefused(
          "production's config turns deletion protection off, but the state of production-gcp still protects google_cloud_run_v2_service.bridge_service_DEADBEEF. To tear it down:\n" +
            "  2. deploy the gcp stack, so that Terraform's state has deletion_protection = false on the Cloud Run services (the google provider refuses to destroy a service while its state says true): npm run deploy -- production, or npx cdktf deploy production-gcp\n" +
            '  3. run npm run destroy -- production again',
        ),
      );
      expect(setup.log.printed).toContain('    google_cloud_run_v2_service.bridge_service_DEADBEEF');
      expect(changes(setup.clouds)).toEqual([]);
    });

    it('is torn down once both the config and the state have deletion protection off', async () => {
      const setup = setUp((config) => (config.production.deletionProtection = false));
      setup.clouds.putObject(
        'gs://example-mcp-production-tfstate/production/gcp/default.tfstate',
        terraformState([['google_cloud_run_v2_service', 'bridge_service_DEADBEEF', { name: 'mcp-bridge-production', deletion_protection: false }]]),
      );
      setup.clouds.hooks.push({ matcher: /cdktf destroy production-gcp/, run: () => setup.clouds.putObject('gs://example-mcp-production-tfstate/production/gcp/default.tfstate', EMPTY_STATE) });
      await setup.run({ environment: 'production', yes: true });
      expect(changes(setup.clouds)).toEqual(['npx cdktf destroy production-gcp --auto-approve --ignore-missing-stack-dependencies']);
    });
  });

  describe('--include-bootstrap', () => {
    it('asks again after the serving stacks, then destroys the bootstrap with its state on this disk, and empties and deletes the state buckets last', async () => {
      const setup = setUp();
      deployed(setup);
      await setup.run({ includeBootstrap: true });
      expect(setup.log.asked.map((asked) => asked.question)).toEqual([
        'Type staging to destroy it: ',
        'Type staging again to remove its bootstrap stacks, secrets and state buckets: ',
      ]);
      // The second question comes once the serving stacks are gone.
      expect(setup.log.asked[1]!.callsSoFar).toContain('npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies');
      expect(changes(setup.clouds).slice(5)).toEqual([
        `gcloud storage rm --all-versions ${SOURCES}/** --project example-mcp-staging --quiet`,
        'npx cdktf synth',
        'terraform -chdir=cdktf.out/stacks/staging-bootstrap-aws init -reconfigure -input=false',
        // prevent_destroy: the state bucket leaves Terraform's state, with what configures it, and is deleted last.
        'terraform -chdir=cdktf.out/stacks/staging-bootstrap-aws state rm aws_s3_bucket.state_bucket_803B4E61 aws_s3_bucket_versioning.state_versioning_27DF9ED5 aws_s3_bucket_policy.state_policy_DB2E7E78',
        'npx cdktf destroy staging-bootstrap-aws --auto-approve --ignore-missing-stack-dependencies',
        'terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp init -reconfigure -input=false',
        'terraform -chdir=cdktf.out/stacks/staging-bootstrap-gcp state rm google_storage_bucket.state_bucket_803B4E61',
        'npx cdktf destroy staging-bootstrap-gcp --auto-approve --ignore-missing-stack-dependencies',
        `gcloud storage rm --recursive ${GCS} --project example-mcp-staging --quiet`,
        'aws s3api delete-objects --bucket example-mcp-staging-tfstate --delete file:///dev/stdin --region eu-west-1 --output json',
        'aws s3api delete-bucket --bucket example-mcp-staging-tfstate --region eu-west-1 --output json',
      ]);
      for (const call of setup.clouds.calls.filter((candidate) => /synth|bootstrap/.test(candidate.args.join(' ')) && candidate.command !== 'aws' && candidate.command !== 'gcloud')) {
        expect(call.env).toMatchObject({ MCP_BOOTSTRAP_LOCAL_STATE: '1' });
      }
      // Every version and delete marker of the S3 bucket (the edge's and aws's empty states included), in one request.
      const deleted = JSON.parse(setup.clouds.calls.find((call) => call.args[1] === 'delete-objects')!.input!);
      expect(deleted.Objects).toHaveLength(10);
      expect(deleted.Objects).toContainEqual({ Key: 'staging/aws.tfstate.tflock', VersionId: expect.any(String) });
      expect([...setup.clouds.buckets.keys()]).toEqual([]);
      // The bootstrap state was copied to this disk before the buckets went; it is empty now.
      expect(readFileSync(join(setup.root, 'terraform.staging-bootstrap-aws.tfstate'), 'utf8')).toBe(EMPTY_STATE);
      expect(withoutTimes(setup.log.results).slice(6)).toEqual([
        '[7/13] confirm the bootstrap teardown: "staging" typed',
        '[8/13] empty the build sources bucket: deleted 2 object version(s)',
        '[9/13] move the bootstrap state to this disk: copied staging-bootstrap-aws and staging-bootstrap-gcp (the copies in the buckets stay until the buckets go)',
        '[10/13] destroy staging-bootstrap-aws: destroyed 5 resource(s)',
        '[11/13] destroy staging-bootstrap-gcp: destroyed 4 resource(s)',
        `[12/13] delete the state bucket ${GCS}: deleted 5 object version(s) and the bucket`,
        `[13/13] delete the state bucket ${S3}: deleted 10 object version(s) and delete marker(s), and the bucket`,
      ]);
    });

    it('lists the bootstrap part after the serving part', async () => {
      const setup = setUp();
      deployed(setup);
      await setup.run({ includeBootstrap: true }, true);
      expect(setup.log.printed.slice(setup.log.printed.indexOf('then, after a second confirmation:'))).toEqual([
        'then, after a second confirmation:',
        `  Secrets Manager secret ${AWS_SECRET}: scheduled for deletion, recoverable for 30 days (its recovery window) and its name taken until then (npm run bootstrap -- staging restores it, with its value); --force-delete-secrets deletes it at once`,
        `  objects in ${SOURCES} (Cloud Build's staged sources): 2 object version(s)`,
        "  the bootstrap stacks' state, copied to this disk first (the buckets holding it go last)",
        `  staging-bootstrap-aws, state in ${S3}/staging/bootstrap-aws.tfstate: 5 resource(s)`,
        '    aws_s3_bucket.state_bucket_803B4E61',
        '    aws_s3_bucket_versioning.state_versioning_27DF9ED5',
        '    aws_s3_bucket_policy.state_policy_DB2E7E78',
        '    aws_secretsmanager_secret.secret-token-digests',
        '    aws_iam_role.github_deploy-role_469007E9',
        `  staging-bootstrap-gcp, state in ${GCS}/staging/bootstrap-gcp/default.tfstate: 4 resource(s)`,
        '    google_storage_bucket.state_bucket_803B4E61',
        '    google_storage_bucket.build-sources',
        '    google_artifact_registry_repository.repository',
        '    google_secret_manager_secret.secret-MCP_TOKEN_SHA256',
        '    with it, Secret Manager mcp-bridge-staging-token-sha256: deleted with every version (Secret Manager keeps no recovery window)',
        '    with it, the workload identity pool mcp-bridge-staging-gh: soft-deleted, its id taken for about 30 days (npm run bootstrap -- staging undeletes it)',
        '    with it, the workload identity pool provider mcp-bridge-staging-gh/github: soft-deleted, its id taken for about 30 days (npm run bootstrap -- staging undeletes it)',
        '    with it, the log bucket mcp-bridge-staging-audit: soft-deleted, its id taken for 7 days (npm run bootstrap -- staging undeletes it)',
        `  ${GCS}: 4 object version(s), then the bucket (Terraform may not delete it: prevent_destroy)`,
        `  ${S3}: 8 object version(s) and delete marker(s), then the bucket (Terraform may not delete it: prevent_destroy)`,
      ]);
    });

    it('keeps the bootstrap when the second answer is wrong, once the serving stacks are gone', async () => {
      const setup = setUp();
      deployed(setup);
      setup.answer('staging', 'no');
      const failure = await setup.run({ includeBootstrap: true }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StepFailure);
      expect((failure as Error).message).toBe(
        '[7/13] confirm the bootstrap teardown failed:\n' +
          '  "no" was typed, not "staging": the bootstrap stacks, secrets and state buckets are kept\n' +
          'next: re-run npm run destroy -- staging --include-bootstrap (what is gone already is skipped) when you mean it',
      );
      expect(changes(setup.clouds).filter((line) => line.includes('bootstrap') || line.includes('storage rm') || line.includes('delete-objects'))).toEqual([]);
      expect(setup.clouds.currentObject(stateUrl('gcp'))).toBe(EMPTY_STATE);
      expect(setup.clouds.currentObject(stateUrl('bootstrap-gcp'))).toBe(DEPLOYED['bootstrap-gcp']);
    });

    it('leaves the Secrets Manager secret its 30-day recovery window by default: Terraform schedules its deletion', async () => {
      const setup = setUp();
      deployed(setup);
      await setup.run({ includeBootstrap: true, yes: true });
      expect(setup.clouds.lines.some((line) => line.startsWith('aws secretsmanager delete-secret'))).toBe(false);
      expect(setup.clouds.awsSecretStates.get(AWS_SECRET)).toBe('scheduled for deletion');
    });

    it.each<['active' | 'scheduled for deletion', string[]]>([
      ['active', []],
      // An earlier run without the flag left it scheduled: restored, then deleted.
      ['scheduled for deletion', [`aws secretsmanager restore-secret --secret-id ${AWS_SECRET} --region eu-west-1 --output json`]],
    ])('--force-delete-secrets deletes the secret (%s) at once, before Terraform would schedule it', async (status, restore) => {
      const setup = setUp();
      deployed(setup);
      setup.clouds.awsSecretStates.set(AWS_SECRET, status);
      await setup.run({ includeBootstrap: true, forceDeleteSecrets: true, yes: true });
      expect(changes(setup.clouds).filter((line) => /secretsmanager|cdktf destroy staging-bootstrap-aws/.test(line))).toEqual([
        ...restore,
        `aws secretsmanager delete-secret --secret-id ${AWS_SECRET} --force-delete-without-recovery --region eu-west-1 --output json`,
        'npx cdktf destroy staging-bootstrap-aws --auto-approve --ignore-missing-stack-dependencies',
      ]);
      expect(setup.clouds.awsSecretStates.has(AWS_SECRET)).toBe(false);
      expect(setup.log.printed).toContain(`  Secrets Manager secret ${AWS_SECRET}: deleted at once, without recovery (--force-delete-secrets)`);
      expect(withoutTimes(setup.log.results)[7]).toBe(`[8/14] delete the secrets without recovery: deleted ${AWS_SECRET} at once`);
    });

    it('refuses to delete a state bucket that still holds a state listing resources, or another environment\'s objects', async () => {
      const setup = setUp((config) => (config.staging.aws = { regions: ['eu-west-1', 'us-east-1'] }));
      deployed(setup);
      // A region removed from the config without destroying its stack first.
      setup.clouds.putObject(`${S3}/staging/aws-ap-southeast-1.tfstate`, DEPLOYED.aws!);
      await expect(setup.run({ includeBootstrap: true, yes: true })).rejects.toThrow(
        new RegExp(
          `delete the state bucket ${S3} failed:\\n  ${S3}/staging/aws-ap-southeast-1\\.tfstate still lists 4 resource\\(s\\) \\(aws_lambda_function\\.bridge_function_01ED99D1, .*\\): destroy its stack first, or they are left without a state`,
        ),
      );
      expect(setup.clouds.buckets.has(S3)).toBe(true);
      expect(setup.clouds.lines.some((line) => line.includes('delete-objects'))).toBe(false);

      const shared = setUp();
      deployed(shared);
      shared.clouds.putObject(`${GCS}/qa/gcp/default.tfstate`, EMPTY_STATE);
      await expect(shared.run({ includeBootstrap: true, yes: true })).rejects.toThrow(
        `delete the state bucket ${GCS} failed:\n  ${GCS} also holds 1 object(s) outside staging/ (qa/gcp/default.tfstate): it is kept; delete them, or the bucket, by hand`,
      );
      expect(shared.clouds.buckets.has(GCS)).toBe(true);
    });

    it('empties a state bucket of more versions than one DeleteObjects request takes, 1,000 at a time', async () => {
      const setup = setUp();
      deployed(setup);
      for (let index = 0; index < 1000; index += 1) setup.clouds.putObject(`${S3}/staging/edge.tfstate`, EMPTY_STATE);
      setup.clouds.putObject(stateUrl('edge'), DEPLOYED.edge!);
      await setup.run({ includeBootstrap: true, yes: true });
      expect(setup.clouds.calls.filter((call) => call.args[1] === 'delete-objects').map((call) => JSON.parse(call.input!).Objects.length)).toEqual([1000, 11]);
      expect(setup.clouds.buckets.has(S3)).toBe(false);
    });

    it('destroys an environment with local state from its state files, with no state buckets to delete', async () => {
      const setup = setUp((config) => (config.staging.state = { backend: 'local' }));
      deployed(setup);
      await setup.run({ includeBootstrap: true, yes: true });
      expect(changes(setup.clouds).filter((line) => /cdktf destroy|state rm|storage rm --recursive|delete-bucket/.test(line))).toEqual([
        'npx cdktf destroy staging-edge --auto-approve --ignore-missing-stack-dependencies',
        'npx cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies',
        'npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
        'npx cdktf destroy staging-bootstrap-aws --auto-approve --ignore-missing-stack-dependencies',
        'npx cdktf destroy staging-bootstrap-gcp --auto-approve --ignore-missing-stack-dependencies',
      ]);
      for (const kind of Object.keys(DEPLOYED)) expect(readFileSync(join(setup.root, `terraform.staging-${kind}.tfstate`), 'utf8')).toBe(EMPTY_STATE);
      expect(setup.log.results).toHaveLength(10);
    });
  });

  it('reads an environment never deployed (no state buckets, no repository yet) as nothing deployed, and skips every step', async () => {
    const setup = setUp();
    await setup.run({ yes: true, includeBootstrap: true });
    expect(setup.log.printed).toContain(`  staging-edge, state in ${S3}/staging/edge.tfstate: nothing deployed`);
    expect(setup.log.printed).toContain(`  images npm run deploy pushed to ${REPOSITORY}: none`);
    expect(changes(setup.clouds)).toEqual([]);
    expect(setup.log.results.filter((line) => !line.includes('confirm')).every((line) => line.includes('already done'))).toBe(true);
  });

  it('stops at a state it may not read instead of taking it for "nothing deployed"', async () => {
    const setup = setUp();
    deployed(setup);
    setup.clouds.failNext(/storage cat .*gcp\/default\.tfstate/, 'ERROR: (gcloud.storage.cat) HTTPError 403: platform@example.com does not have storage.objects.get access to the Google Cloud Storage object.');
    await expect(setup.run({ yes: true })).rejects.toThrow(/gcloud storage cat gs:\/\/example-mcp-staging-tfstate\/staging\/gcp\/default\.tfstate .*exited with 1:\n\s+ERROR: \(gcloud\.storage\.cat\) HTTPError 403/);
    expect(changes(setup.clouds)).toEqual([]);
  });

  it('fails a stack whose destroy leaves resources in its state, before anything that needs it gone', async () => {
    const setup = setUp();
    deployed(setup);
    // As if Terraform forgot to destroy one (a `removed` block, a resource it skipped): its state still lists it.
    setup.clouds.hooks.push({ matcher: /cdktf destroy staging-gcp/, run: () => setup.clouds.putObject(stateUrl('gcp'), DEPLOYED.gcp!) });
    await expect(setup.run({ yes: true })).rejects.toThrow(
      '[4/6] destroy staging-gcp failed:\n  cdktf destroy staging-gcp finished, but its state still lists 2 resource(s): google_cloud_run_v2_service.bridge_service_DEADBEEF, google_compute_global_address.load-balancer_address_12345678',
    );
    expect(setup.clouds.images.size).toBe(3);
  });

  describe('resume', () => {
    it('stops at a failure naming the step, Terraform\'s error and what to do; a re-run skips what is gone', async () => {
      const setup = setUp();
      deployed(setup);
      setup.clouds.failNext(/cdktf destroy staging-aws/, 'Error: deleting Lambda Function (mcp-bridge-staging): operation error Lambda: DeleteFunction, AccessDeniedException: not authorized to perform: lambda:DeleteFunction');
      const failure = await setup.run({ yes: true }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StepFailure);
      expect((failure as Error).message).toBe(
        '[3/6] destroy staging-aws failed:\n' +
          '  npx cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies exited with 1:\n' +
          '      Error: deleting Lambda Function (mcp-bridge-staging): operation error Lambda: DeleteFunction, AccessDeniedException: not authorized to perform: lambda:DeleteFunction\n' +
          "next: read Terraform's error above, fix what it names, then re-run npm run destroy -- staging (what is gone already is skipped)",
      );

      setup.clouds.calls.length = 0;
      setup.log.results.length = 0;
      await setup.run({ yes: true });
      expect(changes(setup.clouds).filter((line) => line.includes('cdktf destroy'))).toEqual([
        'npx cdktf destroy staging-aws --auto-approve --ignore-missing-stack-dependencies',
        'npx cdktf destroy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      ]);
      expect(withoutTimes(setup.log.results).slice(0, 2)).toEqual([
        '[1/6] forget the last deploy: already done (no .deploy/staging.json), skipped',
        `[2/6] destroy staging-edge: already done (nothing deployed: its state (${S3}/staging/edge.tfstate) lists no resources), skipped`,
      ]);
    });

    it('resumes the bootstrap part from this disk: the moved state is read there, and the buckets go once its stacks are gone', async () => {
      const setup = setUp();
      deployed(setup);
      setup.clouds.failNext(/cdktf destroy staging-bootstrap-gcp/, 'Error: Error when reading or editing Project Service example-mcp-staging/run.googleapis.com: googleapi: Error 403');
      await expect(setup.run({ includeBootstrap: true, yes: true })).rejects.toThrow(/\[11\/13\] destroy staging-bootstrap-gcp failed/);
      expect(setup.clouds.buckets.has(GCS)).toBe(true);

      setup.clouds.calls.length = 0;
      setup.log.results.length = 0;
      await setup.run({ includeBootstrap: true, yes: true });
      // The bootstrap state is read from this disk now: the bucket's copies are out of date.
      expect(setup.log.printed).toContain('  staging-bootstrap-aws, state in terraform.staging-bootstrap-aws.tfstate: nothing deployed');
      expect(withoutTimes(setup.log.results).slice(7, 10)).toEqual([
        `[8/13] empty the build sources bucket: already done (${SOURCES} is empty), skipped`,
        '[9/13] move the bootstrap state to this disk: already done (the bootstrap state is on this disk, or was never in a bucket), skipped',
        '[10/13] destroy staging-bootstrap-aws: already done (nothing deployed: its state (terraform.staging-bootstrap-aws.tfstate) lists no resources), skipped',
      ]);
      // The failed run already took the state bucket out of the stack's state: nothing to take out again.
      expect(changes(setup.clouds).filter((line) => !line.startsWith('npx cdktf synth') && !line.includes(' init '))).toEqual([
        'npx cdktf destroy staging-bootstrap-gcp --auto-approve --ignore-missing-stack-dependencies',
        `gcloud storage rm --recursive ${GCS} --project example-mcp-staging --quiet`,
        'aws s3api delete-objects --bucket example-mcp-staging-tfstate --delete file:///dev/stdin --region eu-west-1 --output json',
        'aws s3api delete-bucket --bucket example-mcp-staging-tfstate --region eu-west-1 --output json',
      ]);

      // And once all is gone, a third run finds every step done.
      setup.log.results.length = 0;
      await setup.run({ includeBootstrap: true, yes: true });
      expect(setup.log.results.filter((line) => !line.includes('confirm')).every((line) => line.includes('already done'))).toBe(true);
    });
  });
});

describe('the S3 layer', () => {
  it('fails when DeleteObjects answers 200 but lists versions it did not delete', async () => {
    const runner = { run: async () => ({ exitCode: 0, stdout: JSON.stringify({ Errors: [{ Key: 'staging/aws.tfstate', VersionId: 'v1', Code: 'AccessDenied', Message: 'Access Denied' }] }), stderr: '' }) };
    await expect(new Aws(runner, 'eu-west-1').deleteObjectVersions('bucket', [{ key: 'staging/aws.tfstate', versionId: 'v1', isLatest: true, deleteMarker: false }])).rejects.toThrow(
      'S3 did not delete 1 object version(s) of s3://bucket, the first staging/aws.tfstate (v1): AccessDenied: Access Denied',
    );
  });
});

describe('destroy command line', () => {
  it.each<[string[], RegExp]>([
    [[], /name the environment to destroy/],
    [['staging', 'production'], /one environment at a time \(got staging, production\)/],
    [['staging', '--force'], /Unknown option '--force'/],
    [['staging', '--force-delete-secrets'], /--force-delete-secrets needs --include-bootstrap: the secrets belong to the bootstrap stacks, which are otherwise kept/],
  ])('refuses %j with a message naming what is wrong', (args, message) => {
    expect(() => parseDestroyArgs(args)).toThrowError(UsageError);
    expect(() => parseDestroyArgs(args)).toThrowError(message);
  });

  it('takes an environment and the switches, each off by default', () => {
    expect(parseDestroyArgs(['staging'])).toEqual({ environment: 'staging', yes: false, includeBootstrap: false, forceDeleteSecrets: false, dryRun: false, help: false });
    expect(parseDestroyArgs(['--include-bootstrap', 'staging', '--force-delete-secrets', '--yes', '--dry-run'])).toEqual({
      environment: 'staging',
      yes: true,
      includeBootstrap: true,
      forceDeleteSecrets: true,
      dryRun: true,
      help: false,
    });
    expect(parseDestroyArgs(['--help'])).toMatchObject({ help: true });
  });

  it('names the environments the file has when asked for another', async () => {
    const setup = setUp();
    await expect(setup.run({ environment: 'qa' })).rejects.toThrow(/environments\.json: no environment "qa" \(it has staging, production\)/);
  });
});
