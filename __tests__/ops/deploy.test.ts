// `npm run deploy` against recording fakes of gcloud, aws, docker, cdktf and terraform (no cloud is
// reachable from here): the order of the steps, the resume after a failure, the bounded waits,
// and every failure's message.
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { combinedFingerprint } from '../../app/contract/contract.js';
import { ContractRefusal } from '../../ops/contract/release-gate.js';
import { contractIn, readReleased, readSnapshots, snapshotOf, writeReleased } from '../../ops/contract/snapshot-files.js';
import { deploySteps, parseDeployArgs, type DeployContext } from '../../ops/deploy.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { runSteps, StepFailure } from '../../ops/runner/step-runner.js';
import { FakeClouds } from '../support/fake-clouds.js';
import { projectFolder } from '../support/project-folder.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REPOSITORY = 'europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge';
const TAG = `${REPOSITORY}:abc1234`;
const BUILT = `sha256:${'c'.repeat(64)}`;

/** A deploy of staging against fresh fakes, with a fake clock; `change` edits the config first. */
function setUp(change: (config: Record<string, any>) => void = () => undefined, overrides: Partial<DeployContext> = {}) {
  const { root: folder, environmentsFile } = projectFolder(change);
  // The release's contract: the repository's committed snapshots, in the scratch folder deploy records
  // into; a server the test adds gets the example's snapshot of the server of that name.
  cpSync(join(ROOT, 'contracts'), join(folder, 'contracts'), { recursive: true });
  for (const server of Object.keys(JSON.parse(readFileSync(environmentsFile, 'utf8')).staging.servers ?? {}).filter((name) => name === 'notes')) {
    cpSync(join(ROOT, 'contracts/own', `${server}.json`), join(folder, 'contracts/staging', `${server}.json`));
  }
  const clouds = new FakeClouds();
  clouds.outputs.set('staging-gcp', { 'certificate-name': 'mcp-bridge-staging-cert', revision: 'mcp-bridge-staging-0123456789' });
  clouds.outputs.set('staging-edge', { 'primary-health-check-id': 'hc-1234' });
  let clock = 0;
  const log = { results: [] as string[], progress: [] as string[], revealed: [] as string[], smoked: [] as Array<[string, string | undefined]>, slept: [] as number[], smokedServers: [] as unknown[], smokedContracts: [] as string[][] };
  const context: DeployContext = {
    environment: 'staging',
    environmentsFile,
    runner: clouds,
    commit: 'abc1234',
    waits: { certificateMs: 60_000, healthCheckMs: 60_000, intervalMs: 10_000 },
    sleep: async (ms) => {
      log.slept.push(ms);
      clock += ms;
    },
    now: () => clock,
    smoke: async (url, token, servers, contract) => {
      log.smoked.push([url, token]);
      log.smokedServers.push(servers);
      log.smokedContracts.push(contract.map((snapshot) => snapshot.server));
      return `${url} answered by cloud-run`;
    },
    reveal: (token) => log.revealed.push(token),
    progress: (line) => log.progress.push(line),
    journalDirectory: join(folder, '.deploy'),
    root: folder,
    contractsServed: async () => [],
    releaseDirectory: join(folder, '.release'),
    ...overrides,
  };
  const run = async (dryRun = false) =>
    runSteps(deploySteps(context), { dryRun, output: { progress: (line) => log.progress.push(line), result: (line) => log.results.push(line) } });
  return { clouds, log, run, environmentsFile, context, folder };
}

const stagingImage = (file: string) => JSON.parse(readFileSync(file, 'utf8')).staging.image as string;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('npm run deploy', () => {
  it('--dry-run prints every step and what it runs, and touches no cloud', async () => {
    const { clouds, log, run } = setUp();
    await run(true);
    expect(clouds.calls).toEqual([]);
    expect(log.results).toEqual([
      '[1/12] check the contract: contracts/staging/ against contracts/staging/released.json: sha256:8e05614ea6ae…: nothing released to all traffic before (no released.json): the first release',
      `[2/12] build and push the image: gcloud builds submit --config deploy/cloudbuild.yaml (${TAG})`,
      expect.stringMatching(/^\[3\/12\] pin the image digest: write image = .*@<digest> for staging into .*environments\.json$/),
      '[4/12] first token: a token\'s SHA-256 into Secret Manager mcp-bridge-staging-token-sha256 and Secrets Manager mcp-bridge-staging/token-digests, unless they hold digests',
      '[5/12] deploy staging-gcp: cdktf deploy staging-gcp --auto-approve',
      '[6/12] deploy staging-aws: cdktf deploy staging-aws --auto-approve',
      '[7/12] retire the former token secret: aws secretsmanager delete-secret mcp-bridge-staging/token-sha256 (its recovery window: 30 days), if it exists: every Lambda now reads mcp-bridge-staging/token-digests',
      '[8/12] deploy staging-edge: cdktf deploy staging-edge --auto-approve',
      '[9/12] wait for the Google certificate: gcloud certificate-manager certificates describe mcp-bridge-staging-cert until ACTIVE (at most 1 min)',
      '[10/12] wait for the health check: aws route53 get-health-check-status until most checkers see the primary healthy (at most 1 min)',
      '[11/12] smoke test: npm run smoke -- --url https://mcp.staging.example.com --contract staging, the fingerprints in /health and the lists against contracts/staging/',
      '[12/12] record the released contract: write contracts/staging/released.json (sha256:8e05614ea6ae…, what both clouds now serve to all traffic): commit it with the pinned digest',
    ]);
  });

  it('releases a fresh environment in order: image, digest, first token on both clouds, gcp → aws → edge, waits, smoke', async () => {
    const { clouds, log, run, environmentsFile } = setUp();
    clouds.certificateStates = ['PROVISIONING', 'PROVISIONING', 'ACTIVE'];
    clouds.healthChecks = [['Failure: Connection timed out', 'Success: HTTP Status Code 200', 'Failure: Connection timed out'], ['Success: HTTP Status Code 200', 'Success: HTTP Status Code 200', 'Failure: x']];
    await run();

    const steps = clouds.lines.filter((line) => /builds submit|cdktf deploy|versions add|put-secret-value/.test(line));
    expect(steps).toEqual([
      expect.stringMatching(/^gcloud builds submit --config deploy\/cloudbuild\.yaml --substitutions _ENVIRONMENT=staging,_REGION=europe-west1,SHORT_SHA=abc1234 --gcs-source-staging-dir gs:\/\/example-mcp-staging-staging-build-sources\/source --project example-mcp-staging --quiet \.$/),
      'gcloud secrets versions add mcp-bridge-staging-token-sha256 --data-file=- --project example-mcp-staging --quiet',
      'aws secretsmanager put-secret-value --secret-id mcp-bridge-staging/token-digests --secret-string file:///dev/stdin --region eu-west-1 --output json',
      'npx cdktf deploy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf deploy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf deploy staging-edge --auto-approve --ignore-missing-stack-dependencies',
    ]);
    // The digest is pinned before any stack deploys, and the stacks are synthesized from that file.
    expect(stagingImage(environmentsFile)).toBe(`${REPOSITORY}@${BUILT}`);
    expect(clouds.calls.find((call) => call.args.includes('staging-gcp'))!.env).toMatchObject({ MCP_ENVIRONMENTS_FILE: environmentsFile });
    // The token is shown once and never stored: both clouds get only its SHA-256, and the same one.
    expect(log.revealed).toHaveLength(1);
    const digest = `default:${sha256(log.revealed[0]!)}`;
    expect(clouds.googleSecrets.get('mcp-bridge-staging-token-sha256')!.map((version) => version.value)).toEqual([digest]);
    expect(clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe(digest);
    expect(clouds.calls.every((call) => !call.args.join(' ').includes(log.revealed[0]!))).toBe(true);
    // Bounded waits, saying what they wait for.
    expect(log.progress).toContain('  waiting for certificate mcp-bridge-staging-cert to be ACTIVE (it is issued once the edge stack\'s DNS-authorization CNAME resolves): PROVISIONING (10.0 s of at most 60.0 s)');
    expect(log.progress).toContain('  waiting for Route 53 health check hc-1234 (https://mcp.staging.example.com/health on the primary) to be healthy: 1 of 3 checkers healthy (0.0 s of at most 60.0 s)');
    expect(log.smoked).toEqual([['https://mcp.staging.example.com', log.revealed[0]]]);
    // The smoke test compares what the name serves with the release's snapshots.
    expect(log.smokedContracts).toEqual([['builtin']]);
    expect(log.results.map((line) => line.replace(/ \(\d+\.\d s, \d+\.\d s in all\)$/, ''))).toEqual([
      '[1/12] check the contract: sha256:8e05614ea6ae…: nothing released to all traffic before (no released.json): the first release',
      `[2/12] build and push the image: pushed ${TAG}`,
      `[3/12] pin the image digest: image = ${REPOSITORY}@${BUILT}`,
      '[4/12] first token: created the first token, named default (shown once above), and stored its SHA-256 on both clouds: npm run token -- staging rotate --name <name> issues one per caller',
      '[5/12] deploy staging-gcp: applied',
      '[6/12] deploy staging-aws: applied',
      '[7/12] retire the former token secret: already done (no former token secret in use), skipped',
      '[8/12] deploy staging-edge: applied',
      '[9/12] wait for the Google certificate: certificate mcp-bridge-staging-cert is ACTIVE',
      '[10/12] wait for the health check: 2 of 3 checkers healthy',
      '[11/12] smoke test: https://mcp.staging.example.com answered by cloud-run',
      expect.stringMatching(/^\[12\/12\] record the released contract: .*contracts\/staging\/released\.json: sha256:8e05614ea6ae[0-9a-f]{52}$/),
    ]);
  });

  it('stops at a failure naming the step, the cloud\'s error and what to do, and a re-run resumes where it stopped', async () => {
    const { clouds, log, run, context } = setUp();
    clouds.failNext(/cdktf deploy staging-aws/, 'Error: creating Lambda Function (mcp-bridge-staging): operation error Lambda: CreateFunction, AccessDeniedException: not authorized to perform: lambda:CreateFunction');
    const failure = await run().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StepFailure);
    expect((failure as Error).message).toBe(
      '[6/12] deploy staging-aws failed:\n' +
        '  npx cdktf deploy staging-aws --auto-approve --ignore-missing-stack-dependencies exited with 1:\n' +
        '      Error: creating Lambda Function (mcp-bridge-staging): operation error Lambda: CreateFunction, AccessDeniedException: not authorized to perform: lambda:CreateFunction\n' +
        "next: read Terraform's error above, fix the config or the cloud it names, then re-run npm run deploy -- staging (finished steps are skipped)",
    );
    const revealed = log.revealed[0]!;

    clouds.calls.length = 0;
    log.results.length = 0;
    // The operator re-runs with the token the failed run showed, for the smoke test.
    await runSteps(deploySteps({ ...context, smokeToken: revealed }), { output: { progress: () => undefined, result: (line) => log.results.push(line) } });
    expect(clouds.lines.filter((line) => /builds submit|cdktf deploy|versions add|put-secret-value/.test(line))).toEqual([
      'npx cdktf deploy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf deploy staging-edge --auto-approve --ignore-missing-stack-dependencies',
    ]);
    expect(log.results.slice(1, 5).map((line) => line.replace(/ \(\d+\.\d s, \d+\.\d s in all\)$/, ''))).toEqual([
      `[2/12] build and push the image: already done (${TAG} is in Artifact Registry (${BUILT})), skipped`,
      `[3/12] pin the image digest: already done (staging already runs ${REPOSITORY}@${BUILT}), skipped`,
      '[4/12] first token: already done (both clouds hold 1 token digest(s)), skipped',
      '[5/12] deploy staging-gcp: already done (applied for commit abc1234 and this config), skipped',
    ]);
    // No second token: the first one (shown by the failed run) still works.
    expect(log.revealed).toEqual([revealed]);
    expect(log.smoked.at(-1)).toEqual(['https://mcp.staging.example.com', revealed]);
  });

  it('deploys every stack again when the config changed since the failed run', async () => {
    const first = setUp();
    first.clouds.failNext(/cdktf deploy staging-edge/, 'Error: boom');
    await expect(first.run()).rejects.toThrow(/\[8\/12\] deploy staging-edge failed/);
    const config = JSON.parse(readFileSync(first.environmentsFile, 'utf8'));
    config.staging.cloudRun.memoryMiB = 1024;
    writeFileSync(first.environmentsFile, JSON.stringify(config));
    first.clouds.calls.length = 0;
    await runSteps(deploySteps({ ...first.context, smokeToken: first.log.revealed[0]! }), { output: { progress: () => undefined, result: () => undefined } });
    expect(first.clouds.lines.filter((line) => line.includes('cdktf deploy'))).toEqual([
      'npx cdktf deploy staging-gcp --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf deploy staging-aws --auto-approve --ignore-missing-stack-dependencies',
      'npx cdktf deploy staging-edge --auto-approve --ignore-missing-stack-dependencies',
    ]);
  });

  it('deploys every AWS region\'s stack, the home region\'s first, before the edge that reads them all', async () => {
    const { clouds, run } = setUp((config) => (config.staging.aws = { regions: ['eu-west-1', 'us-east-1'] }), { smokeToken: 't' });
    await run();
    expect(clouds.lines.filter((line) => line.includes('cdktf deploy')).map((line) => line.split(' ')[3])).toEqual(['staging-gcp', 'staging-aws', 'staging-aws-us-east-1', 'staging-edge']);
  });

  it('gives up on a certificate that stays in provisioning, saying what it waited for, what it saw, and what to check', async () => {
    const { clouds, log, run } = setUp();
    clouds.certificateStates = ['PROVISIONING'];
    await expect(run()).rejects.toThrow(
      /^\[9\/12\] wait for the Google certificate failed:\n  gave up after 60\.0 s waiting for certificate mcp-bridge-staging-cert to be ACTIVE .*; last seen: PROVISIONING\nnext: check that the DNS-authorization CNAME the edge stack created resolves \(dig CNAME _acme-challenge\.mcp\.staging\.example\.com\); re-run npm run deploy -- staging \(finished steps are skipped\) to keep waiting$/,
    );
    expect(log.slept).toEqual([10_000, 10_000, 10_000, 10_000, 10_000, 10_000]);
  });

  it('fails at once on a FAILED certificate', async () => {
    const { clouds, log, run } = setUp();
    clouds.certificateStates = ['FAILED'];
    await expect(run()).rejects.toThrow(/wait for the Google certificate failed:\n  certificate mcp-bridge-staging-cert is FAILED/);
    expect(log.slept).toEqual([]);
  });

  it('gives up on a health check most checkers never see healthy', async () => {
    const { clouds, run } = setUp();
    clouds.healthChecks = [['Failure: Received status code 502', 'Failure: Received status code 502', 'Success: HTTP Status Code 200']];
    await expect(run()).rejects.toThrow(/\[10\/12\] wait for the health check failed:\n  gave up after 60\.0 s waiting for Route 53 health check hc-1234 .*; last seen: 1 of 3 checkers healthy\nnext: check https:\/\/mcp\.staging\.example\.com\/health/);
  });

  it('copies the digests one cloud holds to the other instead of making a second token, and smoke-tests with MCP_SMOKE_TOKEN', async () => {
    const { clouds, log, run } = setUp(() => undefined, { smokeToken: 'known-token' });
    clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: 'a'.repeat(64), createTime: '2026-11-01T00:00:00Z' }]);
    await run();
    expect(log.revealed).toEqual([]);
    expect(clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe('a'.repeat(64));
    expect(log.results[3]).toMatch(/first token: copied the 1 digest\(s\) of mcp-bridge-staging-token-sha256 to mcp-bridge-staging\/token-digests, so both clouds accept the same tokens/);
    expect(log.smoked).toEqual([['https://mcp.staging.example.com', 'known-token']]);
  });

  it('moves an environment deployed before the rename of <service>/token-sha256: copies its digests, deploys the Lambdas that read the new name, then schedules the former for deletion', async () => {
    const { clouds, log, run } = setUp(() => undefined, { smokeToken: 'known-token' });
    clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: 'a'.repeat(64), createTime: '2026-11-01T00:00:00Z' }]);
    clouds.awsSecrets.set('mcp-bridge-staging/token-sha256', 'a'.repeat(64));
    await run();
    expect(log.revealed).toEqual([]);
    expect(clouds.awsSecrets.get('mcp-bridge-staging/token-digests')).toBe('a'.repeat(64));
    expect(clouds.lines.filter((line) => /cdktf deploy|secretsmanager (put-secret-value|delete-secret)/.test(line)).map((line) => line.replace(/ --(secret-string|region|output|auto-approve|ignore).*$/, ''))).toEqual([
      'aws secretsmanager put-secret-value --secret-id mcp-bridge-staging/token-digests',
      'aws secretsmanager put-secret-value --secret-id mcp-bridge-staging/token-sha256',
      'npx cdktf deploy staging-gcp',
      'npx cdktf deploy staging-aws',
      'aws secretsmanager delete-secret --secret-id mcp-bridge-staging/token-sha256',
      'npx cdktf deploy staging-edge',
    ]);
    expect(clouds.awsSecretStates.get('mcp-bridge-staging/token-sha256')).toBe('scheduled for deletion');
    expect(log.results[6]).toMatch(/^\[7\/12\] retire the former token secret: scheduled the deletion of mcp-bridge-staging\/token-sha256 \(aws secretsmanager restore-secret brings it back within 30 days\)/);
  });

  it('cannot smoke-test a token environment without a token, and says which variable to set', async () => {
    const { clouds, run } = setUp();
    clouds.googleSecrets.set('mcp-bridge-staging-token-sha256', [{ value: 'a'.repeat(64), createTime: '2026-11-01T00:00:00Z' }]);
    clouds.awsSecrets.set('mcp-bridge-staging/token-digests', 'a'.repeat(64));
    await expect(run()).rejects.toThrow(/\[11\/12\] smoke test failed:\n  token mode, and no token to test with: set MCP_SMOKE_TOKEN/);
  });

  it('makes no token in OAuth mode, and smoke-tests without one', async () => {
    const { clouds, log, run } = setUp((config) => (config.staging.auth = { mode: 'oauth', issuer: 'https://login.example.com' }));
    await run();
    // The former token secret is still looked for (bootstrap forgot it in every auth mode), but no token is written.
    expect(clouds.lines.some((line) => /put-secret-value|secrets versions add|delete-secret/.test(line))).toBe(false);
    expect(log.results[3]).toMatch(/first token: already done \(auth mode is oauth: no token\), skipped/);
    expect(log.smoked).toEqual([['https://mcp.staging.example.com', undefined]]);
  });

  it('--local-build builds and pushes with the local engine, after letting it log in to Artifact Registry', async () => {
    const { clouds, run } = setUp(() => undefined, { localBuild: 'podman' });
    clouds.failNext(/^npx cdktf deploy staging-gcp/, 'stop here');
    await expect(run()).rejects.toThrow(/deploy staging-gcp failed/);
    expect(clouds.lines.filter((line) => /configure-docker|^podman/.test(line))).toEqual([
      'gcloud auth configure-docker europe-west1-docker.pkg.dev --quiet',
      `podman build --platform linux/amd64 --file Dockerfile --tag ${TAG} .`,
      `podman push ${TAG}`,
    ]);
    expect(clouds.lines.some((line) => line.includes('builds submit'))).toBe(false);
  });

  it('names a failed build, Cloud Build\'s error, and the way around it', async () => {
    const { clouds, run } = setUp();
    clouds.failNext(/builds submit/, 'ERROR: (gcloud.builds.submit) PERMISSION_DENIED: The caller does not have permission');
    await expect(run()).rejects.toThrow(
      /^\[2\/12\] build and push the image failed:\n  gcloud builds submit .* exited with 1:\n      ERROR: \(gcloud\.builds\.submit\) PERMISSION_DENIED: The caller does not have permission\nnext: check that Cloud Build may build in example-mcp-staging \(npm run bootstrap -- staging enables it\), or build here with --local-build/,
    );
  });

  describe("GIVEN servers that name secrets (the notes server's NOTES_API_KEY)", () => {
    const withNotes = (config: Record<string, any>) => {
      config.staging.servers = {
        notes: { stdio: { command: 'python3', args: ['stacks/examples/servers/notes/server.py'], env: { NOTES_API_KEY: { secret: 'NOTES_API_KEY' } }, package: { folder: 'stacks/examples/servers/notes' }, runtime: 'python3.12' } },
      };
    };

    it('builds the release image from the Dockerfile generated from the config, copies it to ECR and checks ECR holds the digest Cloud Run runs', async () => {
      const { clouds, log, run, context } = setUp(withNotes);
      clouds.googleSecrets.set('mcp-bridge-staging-server-notes-NOTES_API_KEY', [{ value: 'v', createTime: '2026-11-25T12:00:00Z' }]);
      clouds.awsSecrets.set('mcp-bridge-staging/servers/notes/NOTES_API_KEY', 'v');
      await run().catch(() => undefined);
      const dockerfile = join(context.releaseDirectory!, 'staging.Dockerfile');
      expect(readFileSync(dockerfile, 'utf8')).toMatch(/^FROM python:3\.12-slim-bookworm AS release$/m);
      const lines = clouds.calls.map(({ command, args }) => [command, ...args].join(' '));
      expect(lines).toContainEqual(expect.stringContaining(`--substitutions _ENVIRONMENT=staging,_REGION=europe-west1,SHORT_SHA=abc1234,_DOCKERFILE=${dockerfile} `));
      const ecr = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mcp-bridge-staging';
      expect(lines.filter((line) => line.startsWith('docker'))).toEqual([
        'docker login --username AWS --password-stdin 111122223333.dkr.ecr.eu-west-1.amazonaws.com',
        `docker pull --platform linux/amd64 ${REPOSITORY}@${BUILT}`,
        `docker tag ${REPOSITORY}@${BUILT} ${ecr}:abc1234`,
        `docker push ${ecr}:abc1234`,
      ]);
      expect(clouds.calls.find(({ args }) => args.includes('login'))!.input).toBe('ecr-password\n'.trim());
      expect(clouds.ecrImages.get(`${ecr}:abc1234`)).toBe(BUILT);
      expect(log.smokedServers).toEqual([[{ name: 'notes', builtin: false }]]);
      expect(log.results.at(-2)).toMatch(/^\[13\/14\] smoke test: https:\/\/mcp\.staging\.example\.com answered by cloud-run/);
      expect(log.results[3]).toMatch(new RegExp(`^\\[4/14\\] copy the image to ECR in eu-west-1: ${ecr}@${BUILT}`));
    });

    it('stops when ECR ends up with another digest than Artifact Registry, naming both', async () => {
      const { clouds, run } = setUp(withNotes);
      clouds.ecrPushDigest = `sha256:${'f'.repeat(64)}`;
      const failure = await run().catch((error: unknown) => error);
      expect((failure as Error).message).toMatch(/copy the image to ECR in eu-west-1 failed:\n  .*:abc1234 is sha256:f{64}, not sha256:c{64} as in Artifact Registry: the two clouds would run different bytes/);
      expect(clouds.calls.some(({ args }) => args.includes('deploy'))).toBe(false);
    });

    it('--dry-run lists it all: build, push to both registries, digest, secrets present, gcp, aws, edge, waits, smoke per server', async () => {
      const { clouds, log, run } = setUp(withNotes);
      await run(true);
      expect(clouds.calls).toEqual([]);
      expect(log.results.map((line) => line.replace(/^\[(\d+)\/14\] ([^:]+):.*$/, '$1 $2'))).toEqual([
        '1 check the contract',
        '2 build and push the image',
        '3 pin the image digest',
        '4 copy the image to ECR in eu-west-1',
        '5 first token',
        "6 check the servers' secrets",
        '7 deploy staging-gcp',
        '8 deploy staging-aws',
        '9 retire the former token secret',
        '10 deploy staging-edge',
        '11 wait for the Google certificate',
        '12 wait for the health check',
        '13 smoke test',
        '14 record the released contract',
      ]);
      expect(log.results[1]).toMatch(/^\[2\/14\] build and push the image: .*staging\.Dockerfile \(the release image: the bridge and notes\), then gcloud builds submit/);
      expect(log.results[12]).toMatch(/each server's tools\/list at \/servers\/<name>\/mcp \(notes\), the fingerprints in \/health and the lists against contracts\/staging\/$/);
    });

    it('--dry-run lists the check of the secrets before the first stack', async () => {
      const { log, run } = setUp(withNotes);
      await run(true);
      expect(log.results[5]).toBe("[6/14] check the servers' secrets: a value of each on both clouds: NOTES_API_KEY (notes)");
      expect(log.results[6]).toMatch(/^\[7\/14\] deploy staging-gcp/);
    });

    it('stops before any stack when a secret has no value, naming it, where, and the command that sets it', async () => {
      const { clouds, run } = setUp(withNotes);
      clouds.googleSecrets.set('mcp-bridge-staging-server-notes-NOTES_API_KEY', [{ value: 'set on google', createTime: '2026-11-25T12:00:00Z' }]);
      const failure = await run().catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StepFailure);
      expect((failure as Error).message).toContain(
        "check the servers' secrets failed:\n  NOTES_API_KEY of servers.notes has no value in Secrets Manager (mcp-bridge-staging/servers/notes/NOTES_API_KEY): set it with npm run secret -- staging notes NOTES_API_KEY",
      );
      expect(clouds.calls.some(({ args }) => args.includes('deploy'))).toBe(false);
    });

    it('goes on to the stacks once both clouds hold it', async () => {
      const { clouds, log, run } = setUp(withNotes);
      clouds.googleSecrets.set('mcp-bridge-staging-server-notes-NOTES_API_KEY', [{ value: 'v', createTime: '2026-11-25T12:00:00Z' }]);
      clouds.awsSecrets.set('mcp-bridge-staging/servers/notes/NOTES_API_KEY', 'v');
      await run().catch(() => undefined);
      expect(log.results).toContainEqual(expect.stringMatching(/^\[6\/14\] check the servers' secrets: all 1 set on both clouds/));
      expect(log.results).toContainEqual(expect.stringMatching(/^\[7\/14\] deploy staging-gcp: applied/));
    });
  });
});

describe('deploy command line', () => {
  it.each<[string[], RegExp]>([
    [[], /name the environment to deploy/],
    [['staging', 'production'], /one environment at a time \(got staging, production\)/],
    [['staging', '--health-wait', 'soon'], /--health-wait soon: minutes, a whole number from 1 to 240/],
    [['staging', '--certificate-wait', '0'], /--certificate-wait 0: minutes/],
    [['staging', '--local-build', '--engine', 'buildah'], /--engine buildah: docker or podman/],
    [['staging', '--frobnicate'], /Unknown option '--frobnicate'/],
  ])('refuses %j with a message naming what is wrong', (args, message) => {
    expect(() => parseDeployArgs(args)).toThrowError(UsageError);
    expect(() => parseDeployArgs(args)).toThrowError(message);
  });

  it('takes an environment, a local engine (docker by default) and wait bounds', () => {
    expect(parseDeployArgs(['staging', '--local-build'])).toMatchObject({ environment: 'staging', localBuild: 'docker', certificateMinutes: 60, healthMinutes: 15 });
    expect(parseDeployArgs(['--local-build', '--engine', 'podman', 'production', '--dry-run', '--health-wait', '5'])).toMatchObject({ environment: 'production', localBuild: 'podman', dryRun: true, healthMinutes: 5 });
    expect(parseDeployArgs(['staging'])).not.toHaveProperty('localBuild');
  });

  it('names the environments the file has when asked for another', async () => {
    const { context } = setUp();
    expect(() => deploySteps({ ...context, environment: 'qa' })).toThrowError(/environments\.json: no environment "qa" \(it has staging, production\)/);
  });
});

describe('deploy and the tool contract', () => {
  /** staging as a production-tier environment whose released contract had a tool this release no longer has. */
  const releasedWithMore = (change: (config: Record<string, any>) => void = () => undefined) => {
    const setup = setUp((config) => {
      config.staging.tier = 'production';
      change(config);
    });
    const current = readSnapshots(setup.folder, 'staging').get('builtin')!;
    const before = snapshotOf('builtin', { ...contractIn(current), tools: [...current.tools, { name: 'legacy_report', description: 'Gone in this release', inputSchema: { type: 'object' } }] });
    writeReleased(setup.folder, 'staging', { fingerprint: combinedFingerprint({ builtin: before.fingerprint }), image: 'an older image', servers: [before] });
    return { ...setup, current };
  };

  it('--dry-run refuses to move all traffic to a contract with an unacknowledged breaking change in the production tier, naming the tool, the change and the acknowledgement', async () => {
    const { run, clouds, current } = releasedWithMore();
    const refusal = await run(true).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(ContractRefusal);
    expect((refusal as Error).message).toContain('staging: server builtin: tool legacy_report: tool removed');
    expect((refusal as Error).message).toContain(`"contract": {"acknowledged": {"builtin": "${current.fingerprint}"}}`);
    expect(clouds.calls).toEqual([]);
  });

  it('goes ahead once the config acknowledges the contract the change leads to, and records it as released after the smoke test', async () => {
    const current = readSnapshots(ROOT, 'staging').get('builtin')!;
    const { run, log, folder } = releasedWithMore((config) => (config.staging.contract = { acknowledged: { builtin: current.fingerprint } }));
    await run(true);
    expect(log.results[0]).toMatch(/^\[1\/12\] check the contract: .*1 changes from the released sha256:[0-9a-f]{12}…, 1 breaking \(acknowledged\); then each cloud's \/health must name the released contract \(or this one\)$/);
    log.results.length = 0;
    await run();
    expect(log.results.at(-1)).toMatch(/record the released contract: .*released\.json: sha256:/);
    expect(readReleased(folder, 'staging')!.servers.map((snapshot) => snapshot.fingerprint)).toEqual([current.fingerprint]);
  });

  it("checks, before all traffic moves, that each cloud's /health names the released contract (or this one, on a re-run)", async () => {
    const current = readSnapshots(ROOT, 'staging').get('builtin')!;
    const served = (fingerprint: string) => [
      { cloud: 'Cloud Run', address: '34.120.0.1', samples: 6, served: [{ fingerprint, answers: 6 }] },
      { cloud: 'AWS', address: 'd-abc.execute-api.eu-west-1.amazonaws.com', samples: 6, served: [{ fingerprint, answers: 6 }] },
    ];
    const setup = releasedWithMore((config) => (config.staging.contract = { acknowledged: { builtin: current.fingerprint } }));
    const released = readReleased(setup.folder, 'staging')!.fingerprint;
    const first = async (contractsServed: DeployContext['contractsServed']) => {
      setup.log.results.length = 0;
      setup.clouds.failNext(/builds submit/, 'stop after the first step');
      await runSteps(deploySteps({ ...setup.context, contractsServed }), { output: { progress: () => undefined, result: (line) => setup.log.results.push(line) } }).catch((error: Error) => setup.log.results.push(error.message));
      return setup.log.results[0]!;
    };
    expect(await first(async () => served(released))).toMatch(/^\[1\/12\] check the contract: .*1 breaking \(acknowledged\); Cloud Run released \(6 of 6\); AWS released \(6 of 6\)/);
    expect(await first(async () => served(combinedFingerprint({ builtin: current.fingerprint })))).toMatch(/Cloud Run this release \(6 of 6\); AWS this release \(6 of 6\)/);
    expect(await first(async () => served(`sha256:${'d'.repeat(64)}`))).toMatch(/^\[1\/12\] check the contract failed:\n {2}Cloud Run serves sha256:d{64}, AWS serves sha256:d{64}: neither the released contract/);
    expect(await first(async () => Promise.reject(new Error('not authorized to perform: route53:ListResourceRecordSets')))).toMatch(/the clouds' contracts could not be read \(not authorized to perform: route53:ListResourceRecordSets\): not compared/);
  });

  it('does not take an acknowledgement of another contract', async () => {
    const { run } = releasedWithMore((config) => (config.staging.contract = { acknowledged: { builtin: `sha256:${'0'.repeat(64)}` } }));
    await expect(run(true)).rejects.toThrow(ContractRefusal);
  });

  it('lets a canary carry the new contract to its share of traffic, and records nothing as released', async () => {
    const { run, log, folder } = releasedWithMore((config) => Object.assign(config.staging, { canaryPercent: 10, previousRevision: 'mcp-bridge-staging-0123456789', lambdaStableVersion: 3 }));
    await run(true);
    expect(log.results[0]).toMatch(/check the contract: .*a canary: 10% of traffic to sha256:[0-9a-f]{12}…, the rest stays on sha256:[0-9a-f]{12}… \(1 changes, 1 breaking; promoting it checks them\)$/);
    expect(log.results.at(-1)).toMatch(/record the released contract: nothing: a canary \(10%\)/);
    expect(readReleased(folder, 'staging')!.image).toBe('an older image');
  });

  it('refuses a release whose servers have no snapshot, naming the file and the command', async () => {
    const { run } = setUp((config) => (config.staging.servers = { search: { http: { url: 'https://search.internal.example.com/mcp' } } }));
    await expect(run(true)).rejects.toThrow(/contracts\/staging\/search\.json: no contract snapshot: run npm run contract -- staging and commit it/);
  });
});

describe('deploy and a snapshot edited by hand', () => {
  it('checks the committed snapshots again, naming the tool and the path in its schema', async () => {
    const { run, folder } = setUp();
    const file = join(folder, 'contracts/staging/builtin.json');
    const snapshot = JSON.parse(readFileSync(file, 'utf8'));
    snapshot.tools[0].inputSchema.properties = { when: { type: 'date' } };
    writeFileSync(file, JSON.stringify(snapshot));
    await expect(run(true)).rejects.toThrow(/staging: the contract fails its checks:\nserver builtin, tool health_check: inputSchema\/properties\/when\/type: must be equal to one of the allowed values/);
  });
});
