// `npm run deploy -- <env>`: the whole release of an environment, in order, resumable:
// image → digest pinned in config → first token → gcp → aws → edge → certificate ACTIVE →
// health check healthy → smoke test. Run with --help for the options.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EnvironmentConfig } from '../stacks/config.js';
import { releaseDockerfile } from '../stacks/image/release-image.js';
import { needsReleaseImage } from '../stacks/server-packaging.js';
import { awsStackKind, buildSourcesBucket, resourceName, stackId } from '../stacks/naming.js';
import { Route53Client } from '@aws-sdk/client-route-53';
import { Aws } from './clouds/aws.js';
import { healthOf } from './clouds/failover-name.js';
import { Cdktf } from './clouds/cdktf.js';
import { runChecked, ProcessRunner, type CommandRunner } from './clouds/command.js';
import { Gcloud } from './clouds/gcloud.js';
import { environmentsFilePath, loadEnvironment, writeEnvironmentField } from './environment-file.js';
import { DEPLOY_JOURNAL_DIRECTORY, deployJournalFile, Journal } from './runner/journal.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { runCli } from './runner/cli.js';
import { numberFlag, oneEnvironment, parseCommandLine } from './runner/command-line.js';
import { UsageError } from './runner/usage-error.js';
import { waitUntil } from './runner/wait.js';
import { smokeServersOf, type SmokeOptions } from './smoke.js';
import { missingServerSecrets, namedServerSecrets } from './server-secrets.js';
import { UNNAMED_TOKEN } from '../app/auth/settings.js';
import { newToken, syncDigests, TokenDigests } from './tokens.js';
import { releaseContract, type ReleaseContract } from './contract/release-gate.js';
import { contractsServedByClouds, namesContract, type CloudContract } from './contract/served-by-clouds.js';
import { readReleased, writeReleased, CONTRACTS_DIRECTORY, RELEASED_FILE } from './contract/snapshot-files.js';

/** Everything a deploy needs from outside: the clouds (through a command runner), the clock, the smoke test. */
export interface DeployContext {
  /** The environment's name. */
  readonly environment: string;
  /** The environments file (read again after the digest is pinned). */
  readonly environmentsFile: string;
  /** Runs gcloud, aws, docker, cdktf and terraform. */
  readonly runner: CommandRunner;
  /** The commit being released (short SHA): the image's tag. */
  readonly commit: string;
  /**
   * Build with a local container engine instead of Cloud Build.
   * @default - Cloud Build
   */
  readonly localBuild?: 'docker' | 'podman';
  /** How long to wait for the certificate and the health check, and how often to look. */
  readonly waits: { readonly certificateMs: number; readonly healthCheckMs: number; readonly intervalMs: number };
  readonly sleep: (ms: number) => Promise<void>;
  readonly now: () => number;
  /**
   * Smoke-tests the failover name (each configured server at its own path, when there are servers)
   * and the contract it serves against the release's snapshots; resolves with a one-line outcome.
   */
  readonly smoke: (url: string, token: string | undefined, servers: SmokeOptions['servers'], contract: NonNullable<SmokeOptions['contract']>) => Promise<string>;
  /**
   * A token to smoke-test with in token mode when this run did not create one.
   * @default - none: the smoke test then fails, naming MCP_SMOKE_TOKEN
   */
  readonly smokeToken?: string;
  /** Prints a new token, once: the only time it is ever shown. */
  readonly reveal: (token: string) => void;
  /** Receives wait progress lines. */
  readonly progress: (line: string) => void;
  /** Where the journal of finished steps lives (`.deploy`). */
  readonly journalDirectory: string;
  /**
   * The contract each cloud serves now, from its own `/health` (see `ops/contract/served-by-clouds.ts`):
   * before all traffic moves, each cloud must serve the released contract (or, on a re-run, the new one).
   */
  readonly contractsServed: () => Promise<readonly CloudContract[]>;
  /**
   * The repository root: its `contracts/<env>/` holds the release's contract snapshots, and the
   * record of the contract released to all traffic.
   * @default - the working directory
   */
  readonly root?: string;
  /**
   * Where the release image's generated Dockerfile is written: inside the folder the build uploads
   * (and not ignored by `.gitignore`, which `gcloud builds submit` follows).
   * @default '.release'
   */
  readonly releaseDirectory?: string;
}

/** The image repository of an environment (made by bootstrap). */
export function imageRepository(env: EnvironmentConfig): string {
  return `${env.gcp.region}-docker.pkg.dev/${env.gcp.project}/${resourceName(env.name)}/bridge`;
}

/** What the journal keys on: the commit and the config, without the image (the deploy pins that itself). */
function deployInputs(env: EnvironmentConfig, commit: string): string {
  const { image: _image, ...rest } = env;
  return createHash('sha256').update(JSON.stringify({ commit, config: rest })).digest('hex');
}

/**
 * Whether each cloud serves the contract the release's check compared with (the released one, or on
 * a re-run this one): another means a deploy from elsewhere, and the check compared with the wrong
 * contract. A cloud that does not answer is said, not refused (a deploy may be the fix of an outage).
 */
async function cloudsServeReleased(contract: ReleaseContract, read: DeployContext['contractsServed']): Promise<string> {
  const known = new Map([[contract.released!.fingerprint, 'released'], [contract.fingerprint, 'this release']]);
  let clouds: readonly CloudContract[];
  try {
    clouds = await read();
  } catch (error) {
    return `the clouds' contracts could not be read (${(error as Error).message}): not compared`;
  }
  const strangers = clouds.flatMap((cloud) => cloud.served.filter(({ fingerprint }) => namesContract(fingerprint) && !known.has(fingerprint)).map(({ fingerprint }) => `${cloud.cloud} serves ${fingerprint}`));
  if (strangers.length > 0) {
    throw new Error(`${strangers.join(', ')}: neither the released contract (${contract.released!.fingerprint}) nor this release's: the change was checked against another contract than the clouds serve`);
  }
  return clouds
    .map((cloud) => `${cloud.cloud} ${cloud.served.map(({ fingerprint, answers }) => `${known.get(fingerprint) ?? fingerprint} (${answers} of ${cloud.samples})`).join(', ')}`)
    .join('; ');
}

/** The steps of a deploy, in order. */
export function deploySteps(context: DeployContext): Step[] {
  const name = context.environment;
  const env = () => loadEnvironment(name, context.environmentsFile);
  const first = env();
  const { runner } = context;
  const gcloud = new Gcloud(runner, first.gcp.project);
  const aws = new Aws(runner, first.aws.region);
  const cdktf = new Cdktf(runner, { MCP_ENVIRONMENTS_FILE: context.environmentsFile });
  const journal = new Journal(deployJournalFile(name, context.journalDirectory), deployInputs(first, context.commit));
  const tokens = new TokenDigests(gcloud, aws, name);
  const repository = imageRepository(first);
  const tagged = `${repository}:${context.commit}`;
  // With stdio servers, the release image (the bridge, every server, their runtimes) from a Dockerfile generated from the config.
  const release = needsReleaseImage(first.servers);
  const releaseDirectory = context.releaseDirectory ?? '.release';
  const dockerfile = release ? join(releaseDirectory, `${name}.Dockerfile`) : 'Dockerfile';
  const writeDockerfile = () => {
    if (!release) return;
    mkdirSync(releaseDirectory, { recursive: true });
    writeFileSync(dockerfile, releaseDockerfile(name, first.servers!));
  };
  const engine = context.localBuild ?? 'docker';
  const serverSecretsNamed = namedServerSecrets(first);
  const rerun = `re-run npm run deploy -- ${name} (finished steps are skipped)`;
  let createdToken: string | undefined;
  // Checked before anything runs (a dry run too): a refused contract stops here.
  const root = context.root ?? process.cwd();
  const contract = releaseContract(first, root, context.environmentsFile);
  const releasedFile = `${CONTRACTS_DIRECTORY}/${name}/${RELEASED_FILE}`;

  const deployStack = (stack: string): Step => {
    return {
      name: `deploy ${stack}`,
      runs: `cdktf deploy ${stack} --auto-approve`,
      isDone: async () => journal.has(stack) && `applied for commit ${context.commit} and this config`,
      run: async () => {
        await cdktf.deploy([stack]);
        journal.record(stack);
        return 'applied';
      },
      onFailure: `read Terraform's error above, fix the config or the cloud it names, then ${rerun}`,
    };
  };

  const copyToEcr = (region: string): Step => {
    const regional = new Aws(runner, region);
    const ecrName = resourceName(name);
    const digestOf = async () => {
      const digest = await gcloud.imageDigest(tagged);
      if (digest === undefined) throw new Error(`${tagged} is not in Artifact Registry: build it first`);
      return digest;
    };
    return {
      name: `copy the image to ECR in ${region}`,
      runs: `${engine} pull ${repository}@<digest>, push it to ${ecrName}:${context.commit} (aws ecr get-login-password), and check ECR holds the same digest`,
      isDone: async () => {
        const digest = await digestOf();
        return (await regional.ecrImageDigest(ecrName, { digest })) !== undefined && `${ecrName} in ${region} holds ${digest}`;
      },
      run: async () => {
        const digest = await digestOf();
        const uri = await regional.ecrRepositoryUri(ecrName);
        await runChecked(runner, engine, ['login', '--username', 'AWS', '--password-stdin', uri.split('/')[0]!], { input: await regional.ecrLoginPassword() });
        await runChecked(runner, engine, ['pull', '--platform', 'linux/amd64', `${repository}@${digest}`], { stream: true });
        await runChecked(runner, engine, ['tag', `${repository}@${digest}`, `${uri}:${context.commit}`]);
        await runChecked(runner, engine, ['push', `${uri}:${context.commit}`], { stream: true });
        const pushed = await regional.ecrImageDigest(ecrName, { tag: context.commit });
        if (pushed !== digest) {
          throw new Error(`${uri}:${context.commit} is ${pushed ?? 'missing'}, not ${digest} as in Artifact Registry: the two clouds would run different bytes (a re-compressed push); copy it with a tool that keeps the manifest (crane copy, skopeo copy) and re-run`);
        }
        return `${uri}@${digest}`;
      },
      onFailure: `check that ${ecrName} exists in ${region} (npm run bootstrap -- ${name} creates it) and that ${engine} may push to it, then ${rerun}`,
    };
  };

  return [
    {
      name: 'check the contract',
      runs: `${CONTRACTS_DIRECTORY}/${name}/ against ${releasedFile}: ${contract.summary}${contract.promotes && contract.released !== undefined ? "; then each cloud's /health must name the released contract (or this one)" : ''}`,
      run: async () => (contract.promotes && contract.released !== undefined ? `${contract.summary}; ${await cloudsServeReleased(contract, context.contractsServed)}` : contract.summary),
      onFailure: `compare with npm run status -- ${name} (it shows each cloud's contract); deploy what was released there, or write the snapshots of what is served (npm run contract -- ${name}), then ${rerun}`,
    },
    {
      name: 'build and push the image',
      runs: `${release ? `${dockerfile} (the release image: the bridge and ${first.servers!.filter(({ server }) => 'stdio' in server).map(({ name: server }) => server).join(', ')}), then ` : ''}${
        context.localBuild === undefined ? `gcloud builds submit --config deploy/cloudbuild.yaml (${tagged})` : `${context.localBuild} build and push ${tagged}`
      }`,
      isDone: async () => {
        const digest = await gcloud.imageDigest(tagged);
        return digest !== undefined && `${tagged} is in Artifact Registry (${digest})`;
      },
      run: async () => {
        writeDockerfile();
        if (context.localBuild === undefined) {
          await gcloud.submitBuild({ _ENVIRONMENT: name, _REGION: first.gcp.region, SHORT_SHA: context.commit, ...(release ? { _DOCKERFILE: dockerfile } : {}) }, `gs://${buildSourcesBucket(first)}/source`);
        } else {
          await runChecked(runner, 'gcloud', ['auth', 'configure-docker', `${first.gcp.region}-docker.pkg.dev`, '--quiet']);
          // linux/amd64: what Cloud Run runs, and (one digest for both) what the image Lambda runs.
          await runChecked(runner, context.localBuild, ['build', '--platform', 'linux/amd64', '--file', dockerfile, '--tag', tagged, '.'], { stream: true });
          await runChecked(runner, context.localBuild, ['push', tagged], { stream: true });
        }
        return `pushed ${tagged}`;
      },
      onFailure:
        context.localBuild === undefined
          ? `check that Cloud Build may build in ${first.gcp.project} (npm run bootstrap -- ${name} enables it), or build here with --local-build; then ${rerun}`
          : `check that ${context.localBuild} runs and may push to ${first.gcp.region}-docker.pkg.dev (gcloud auth configure-docker); then ${rerun}`,
    },
    {
      name: 'pin the image digest',
      runs: `write image = ${repository}@<digest> for ${name} into ${context.environmentsFile}`,
      isDone: async () => {
        const digest = await gcloud.imageDigest(tagged);
        return env().image === `${repository}@${digest}` && `${name} already runs ${repository}@${digest}`;
      },
      run: async () => {
        const digest = await gcloud.imageDigest(tagged);
        if (digest === undefined) throw new Error(`${tagged} is not in Artifact Registry`);
        writeEnvironmentField(context.environmentsFile, name, 'image', `${repository}@${digest}`);
        return `image = ${repository}@${digest}`;
      },
      onFailure: `check ${context.environmentsFile} (the message names the field), then ${rerun}`,
    },
    // The same digest into each AWS region's ECR repository: a Lambda pulls only from its own region.
    ...(release ? first.aws.regions.map((region) => copyToEcr(region)) : []),
    {
      name: 'first token',
      runs: `a token's SHA-256 into Secret Manager ${tokens.googleSecret} and Secrets Manager ${tokens.awsSecret}, unless they hold digests`,
      isDone: async () => {
        if (first.auth.mode !== 'token') return `auth mode is ${first.auth.mode}: no token`;
        const held = await tokens.read();
        return held.google !== undefined && held.aws !== undefined && `both clouds hold ${held.google.digests.length} token digest(s)`;
      },
      run: async () => {
        const synced = await syncDigests(tokens);
        if (synced !== undefined) return synced;
        const { token, digest } = newToken();
        await tokens.write([`${UNNAMED_TOKEN}:${digest}`]);
        createdToken = token;
        context.reveal(token);
        return `created the first token, named ${UNNAMED_TOKEN} (shown once above), and stored its SHA-256 on both clouds: npm run token -- ${name} rotate --name <name> issues one per caller`;
      },
      onFailure: `check that the secrets exist (npm run bootstrap -- ${name}) and that you may add versions to them, then ${rerun}`,
    },
    // Only where servers name secrets: a server without its secret cannot start on that cloud.
    ...(serverSecretsNamed.length === 0
      ? []
      : [
          {
            name: "check the servers' secrets",
            runs: `a value of each on both clouds: ${serverSecretsNamed.map(({ server, name: secret }) => `${secret} (${server})`).join(', ')}`,
            run: async () => {
              const missing = await missingServerSecrets(first, { gcloud, aws });
              if (missing.length > 0) throw new Error(missing.join('\n'));
              return `all ${serverSecretsNamed.length} set on both clouds`;
            },
            onFailure: `set each secret named above with the command it names, then ${rerun}`,
          } satisfies Step,
        ]),
    deployStack(stackId(first.name, 'gcp')),
    // Every AWS region's stack, the home region's first; then the edge, which reads them all.
    ...first.aws.regions.map((region) => deployStack(stackId(first.name, awsStackKind(first, region)))),
    {
      name: 'retire the former token secret',
      runs: `aws secretsmanager delete-secret ${tokens.formerAwsSecrets.join(', ')} (its recovery window: 30 days), if it exists: every Lambda now reads ${tokens.awsSecret}`,
      isDone: async () => (await tokens.activeFormerSecrets()).length === 0 && 'no former token secret in use',
      run: async () => {
        const retired = await tokens.activeFormerSecrets();
        for (const former of retired) await aws.scheduleSecretDeletion(former);
        return `scheduled the deletion of ${retired.join(', ')} (aws secretsmanager restore-secret brings it back within 30 days)`;
      },
      onFailure: `check that you may delete ${tokens.formerAwsSecrets.join(', ')} (secretsmanager:DeleteSecret), then ${rerun}`,
    },
    deployStack(stackId(first.name, 'edge')),
    {
      name: 'wait for the Google certificate',
      runs: `gcloud certificate-manager certificates describe ${resourceName(first.name)}-cert until ACTIVE (at most ${context.waits.certificateMs / 60_000} min)`,
      run: async () => {
        const certificate = String((await cdktf.outputs(stackId(first.name, 'gcp')))['certificate-name'] ?? `${resourceName(first.name)}-cert`);
        const state = await waitUntil({
          what: `certificate ${certificate} to be ACTIVE (it is issued once the edge stack's DNS-authorization CNAME resolves)`,
          poll: async () => {
            const status = await gcloud.certificateState(certificate);
            if (status === 'FAILED') throw new Error(`certificate ${certificate} is FAILED`);
            return { done: status === 'ACTIVE', status };
          },
          timeoutMs: context.waits.certificateMs,
          intervalMs: context.waits.intervalMs,
          sleep: context.sleep,
          now: context.now,
          progress: context.progress,
        });
        return `certificate ${certificate} is ${state}`;
      },
      onFailure: `check that the DNS-authorization CNAME the edge stack created resolves (dig CNAME _acme-challenge.${first.domainName}); ${rerun} to keep waiting`,
    },
    {
      name: 'wait for the health check',
      runs: `aws route53 get-health-check-status until most checkers see the primary healthy (at most ${context.waits.healthCheckMs / 60_000} min)`,
      run: async () => {
        const id = (await cdktf.outputs(stackId(first.name, 'edge')))['primary-health-check-id'];
        if (typeof id !== 'string') throw new Error(`the ${stackId(first.name, 'edge')} stack has no primary-health-check-id output: deploy it first`);
        const status = await waitUntil({
          what: `Route 53 health check ${id} (https://${first.domainName}/health on the primary) to be healthy`,
          poll: async () => {
            const observations = await aws.healthCheckObservations(id);
            const healthy = observations.filter((observation) => observation.healthy).length;
            return { done: observations.length > 0 && healthy * 2 > observations.length, status: `${healthy} of ${observations.length} checkers healthy` };
          },
          timeoutMs: context.waits.healthCheckMs,
          intervalMs: context.waits.intervalMs,
          sleep: context.sleep,
          now: context.now,
          progress: context.progress,
        });
        return status;
      },
      onFailure: `check https://${first.domainName}/health through the load balancer (the check sends Host ${first.domainName} to its IP); ${rerun} to keep waiting`,
    },
    {
      name: 'smoke test',
      runs: `npm run smoke -- --url https://${first.domainName} --contract ${name}${first.servers === undefined ? '' : `, each server's tools/list at /servers/<name>/mcp (${first.servers.map(({ name: server }) => server).join(', ')})`}, the fingerprints in /health and the lists against ${CONTRACTS_DIRECTORY}/${name}/`,
      run: async () => {
        const token = createdToken ?? context.smokeToken;
        if (first.auth.mode === 'token' && token === undefined) {
          throw new Error('token mode, and no token to test with: set MCP_SMOKE_TOKEN to a valid token (npm run token -- <env> rotate prints a new one)');
        }
        return context.smoke(`https://${first.domainName}`, first.auth.mode === 'token' ? token : undefined, smokeServersOf(first), contract.snapshots);
      },
      onFailure: `compare both backends: npm run smoke -- --url https://${first.domainName} --direct <Cloud Run URL> --direct <API URL>; fix, then ${rerun}`,
    },
    {
      name: 'record the released contract',
      runs: contract.promotes
        ? `write ${releasedFile} (${contract.fingerprint.slice(0, 19)}…, what both clouds now serve to all traffic): commit it with the pinned digest`
        : `nothing: a canary (${first.canaryPercent}%) releases no contract to all traffic`,
      isDone: async () => {
        if (!contract.promotes) return `a canary (${first.canaryPercent}%): ${releasedFile} stays as it is`;
        const released = readReleased(root, name);
        return released?.fingerprint === contract.fingerprint && released.image === env().image && `${releasedFile} already records ${contract.fingerprint.slice(0, 19)}… for this image`;
      },
      run: async () => {
        const file = writeReleased(root, name, { fingerprint: contract.fingerprint, image: env().image, servers: contract.snapshots });
        return `${file}: ${contract.fingerprint}`;
      },
      onFailure: `check that ${releasedFile} can be written, then ${rerun}`,
    },
  ];
}

export const USAGE = `usage: npm run deploy -- <environment> [options]

Builds and pushes the image, pins its digest, creates the first token, deploys <env>-gcp,
<env>-aws and <env>-edge, waits for the certificate and the health check, then smoke-tests.
A re-run after a failure skips the finished steps.

  --local-build                  build with a local container engine instead of Cloud Build
  --engine docker|podman         the engine --local-build uses (default docker)
  --dry-run                      print the steps and what each runs; touch no cloud
  --certificate-wait MINUTES     how long to wait for the Google certificate (default 60)
  --health-wait MINUTES          how long to wait for the Route 53 health check (default 15)
  --help                         this text

Environment: MCP_ENVIRONMENTS_FILE (default stacks/environments.json), MCP_SMOKE_TOKEN (a token
for the smoke test when this run does not create one).`;

/** The parsed command line. */
export interface DeployCommand {
  readonly environment: string;
  readonly localBuild?: 'docker' | 'podman';
  readonly dryRun: boolean;
  readonly certificateMinutes: number;
  readonly healthMinutes: number;
  readonly help: boolean;
}


/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseDeployArgs(args: readonly string[]): DeployCommand {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: {
      'local-build': { type: 'boolean', default: false },
      engine: { type: 'string', default: 'docker' },
      'dry-run': { type: 'boolean', default: false },
      'certificate-wait': { type: 'string', default: '60' },
      'health-wait': { type: 'string', default: '15' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', dryRun: false, certificateMinutes: 60, healthMinutes: 15, help: true };
  const environment = oneEnvironment(positionals, 'deploy');
  const minutes = (flag: 'certificate-wait' | 'health-wait') => numberFlag(flag, values[flag], { unit: 'minutes', min: 1, max: 240, whole: true });
  const engine = values.engine;
  if (engine !== 'docker' && engine !== 'podman') throw new UsageError(`--engine ${engine}: docker or podman`);
  return {
    environment,
    ...(values['local-build'] ? { localBuild: engine } : {}),
    dryRun: values['dry-run'],
    certificateMinutes: minutes('certificate-wait'),
    healthMinutes: minutes('health-wait'),
    help: false,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('deploy', USAGE, () => parseDeployArgs(process.argv.slice(2)), async (command) => {
    const runner = new ProcessRunner();
    const commit = (await runChecked(runner, 'git', ['rev-parse', '--short=7', 'HEAD'])).stdout.trim();
    const { smokeCheck } = await import('./smoke.js');
    const steps = deploySteps({
      environment: command.environment,
      environmentsFile: environmentsFilePath(),
      runner,
      commit,
      ...(command.localBuild === undefined ? {} : { localBuild: command.localBuild }),
      waits: { certificateMs: command.certificateMinutes * 60_000, healthCheckMs: command.healthMinutes * 60_000, intervalMs: 30_000 },
      sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
      now: () => Date.now(),
      contractsServed: () =>
        contractsServedByClouds(loadEnvironment(command.environment, environmentsFilePath()), {
          route53: new Route53Client({ region: 'us-east-1' }),
          healthAt: (url, address) => healthOf(url, { ...(address === undefined ? {} : { address }), timeoutMs: 10_000 }),
        }),
      smoke: async (url, token, servers, contract) =>
        `${url} answered by ${(await smokeCheck(url, { token, ...(servers === undefined ? {} : { servers }), contract })).platform}${servers === undefined ? '' : `, every server at /servers/<name>/mcp (${servers.map(({ name }) => name).join(', ')})`}, serving the contract of ${CONTRACTS_DIRECTORY}/${command.environment}/`,
      ...(process.env.MCP_SMOKE_TOKEN ? { smokeToken: process.env.MCP_SMOKE_TOKEN } : {}),
      reveal: (token) =>
        process.env.GITHUB_ACTIONS === 'true'
          ? // Never in a CI log: masked, used for this run's smoke test only. npm run token -- <env> rotate gives one to read.
            console.log(`::add-mask::${token}\ndeploy: created the first token of ${command.environment}; it is masked in this log (run npm run token -- ${command.environment} rotate for one you can read)`)
          : console.log(`\n  The first token of ${command.environment} (shown once; give it to your MCP clients as a bearer token):\n\n    ${token}\n`),
      progress: (line) => console.error(line),
      journalDirectory: DEPLOY_JOURNAL_DIRECTORY,
    });
    console.log(`deploy: ${command.environment}, commit ${commit}${command.dryRun ? ' (dry run: nothing is touched)' : ''}`);
    await runSteps(steps, { dryRun: command.dryRun });
    if (!command.dryRun) console.log(`deploy: ${command.environment} is released`);
  });
}
