// `npm run bootstrap -- <env>`: creates what must exist before the first deploy, on both clouds
// (state buckets, APIs, image repository, secrets' containers, GitHub Actions identities), the way
// `cdk bootstrap` does: the first apply keeps its state locally, then moves it into the bucket it
// created. What an earlier destroy left soft-deleted is taken back first. Prints the GitHub
// variables to set. Run with --help for the options.
import { existsSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EnvironmentConfig } from '../stacks/config.js';
import { stackId } from '../stacks/naming.js';
import { describeLocation, localStatePath, stateLocation } from '../stacks/remote-state.js';
import { softDeletables, softDeletedStep, type BootstrapKind, type BootstrapTarget } from './bootstrap/soft-deleted.js';
import { Aws } from './clouds/aws.js';
import { Cdktf } from './clouds/cdktf.js';
import { ProcessRunner, type CommandRunner } from './clouds/command.js';
import { Gcloud } from './clouds/gcloud.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { planVariablePrefix } from './environments-matrix.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { StackStates } from './terraform/stack-state.js';
import { runCli } from './runner/cli.js';
import { oneEnvironment, parseCommandLine } from './runner/command-line.js';
import type { UsageError } from './runner/usage-error.js';

/** What a bootstrap needs from outside. */
export interface BootstrapContext {
  /** The environment's name. */
  readonly environment: string;
  /** The environments file. */
  readonly environmentsFile: string;
  /** Runs cdktf and terraform. */
  readonly runner: CommandRunner;
  /** The project root, where the bootstrap stacks' local state files are kept until they move. */
  readonly projectRoot: string;
  /** Prints the GitHub variables. */
  readonly print: (line: string) => void;
}

/** The GitHub variables each environment's workflows read, and where each comes from. */
function githubVariables(env: EnvironmentConfig, outputs: Record<string, unknown>): Array<[environment: string | undefined, name: string, value: string]> {
  const value = (name: string) => (typeof outputs[name] === 'string' ? (outputs[name] as string) : undefined);
  const shared: Array<[string, string | undefined]> = [
    ['GCP_WORKLOAD_IDENTITY_PROVIDER', value('GCP_WORKLOAD_IDENTITY_PROVIDER')],
    ['GCP_PROJECT', env.gcp.project],
    ['GCP_REGION', env.gcp.region],
    ['AWS_REGION', env.aws.region],
    ['MCP_DOMAIN_NAME', env.domainName],
  ];
  // Deploys read the GitHub environment's variables; pull-request plans name no environment (their
  // OIDC subject is then the pull request's), so theirs are the repository's, prefixed.
  const prefix = planVariablePrefix(env.name);
  const byEnvironment: Array<[string | undefined, Array<[string, string | undefined]>]> = [
    [env.name, [...shared, ['GCP_DEPLOY_SERVICE_ACCOUNT', value('GCP_DEPLOY_SERVICE_ACCOUNT')], ['AWS_DEPLOY_ROLE_ARN', value('AWS_DEPLOY_ROLE_ARN')]]],
    [
      undefined,
      [...shared, ['GCP_PLAN_SERVICE_ACCOUNT', value('GCP_PLAN_SERVICE_ACCOUNT')], ['AWS_PLAN_ROLE_ARN', value('AWS_PLAN_ROLE_ARN')]].map(([name, variable]): [string, string | undefined] => [`${prefix}_${name}`, variable]),
    ],
  ];
  return byEnvironment.flatMap(([environment, variables]) =>
    variables.filter((entry): entry is [string, string] => entry[1] !== undefined).map(([name, variable]): [string | undefined, string, string] => [environment, name, variable]),
  );
}

/** The steps of a bootstrap, in order. */
export function bootstrapSteps(context: BootstrapContext): Step[] {
  const env = loadEnvironment(context.environment, context.environmentsFile);
  /** The two bootstrap stacks, Google's first: each stack's kind (its state location) and id (what cdktf names). */
  const stacks = (['bootstrap-gcp', 'bootstrap-aws'] as const).map((kind) => ({ kind, id: stackId(env.name, kind) }));
  const localFile = (stack: string) => `${context.projectRoot}/${localStatePath(stack).replace(/^(\.\.\/)+/, '')}`;
  const local = new Cdktf(context.runner, { MCP_ENVIRONMENTS_FILE: context.environmentsFile, MCP_BOOTSTRAP_LOCAL_STATE: '1' });
  const remote = new Cdktf(context.runner, { MCP_ENVIRONMENTS_FILE: context.environmentsFile });
  const state = env.state;
  const remoteState = state.backend === 'remote';
  const buckets = state.backend === 'remote' ? `gs://${state.gcs.bucket}, s3://${state.s3.bucket}` : 'none';
  const rerun = `re-run npm run bootstrap -- ${env.name}`;
  /**
   * Whether a bootstrap stack's state is in its bucket yet (asked of the cloud, so a second
   * operator's machine knows too): until it is, the stack applies with its state on this disk.
   */
  const inBucket = async (kind: BootstrapKind): Promise<boolean> => {
    const location = stateLocation(env, kind);
    switch (location.backend) {
      case 'local':
        return false;
      case 'gcs':
        return new Gcloud(context.runner, env.gcp.project).objectExists(describeLocation(location));
      case 's3':
        return new Aws(context.runner, location.region).objectExists(location.bucket, location.key);
    }
  };

  const states = new StackStates(env, context.runner, context.projectRoot);
  /** Where a bootstrap stack applies now, as its apply decides it. */
  const target = async (kind: BootstrapKind): Promise<BootstrapTarget> => {
    const moved = await inBucket(kind);
    return { cdktf: moved ? remote : local, stateText: () => states.text(stateLocation(env, kind, !moved)) };
  };
  const takeBack = softDeletedStep({
    env,
    resources: softDeletables(env, new Gcloud(context.runner, env.gcp.project), new Aws(context.runner, env.aws.region)),
    projectRoot: context.projectRoot,
    target,
    rerun,
  });

  const apply = ({ kind, id }: (typeof stacks)[number]): Step => ({
    name: `apply ${id}`,
    runs: `cdktf deploy ${id} --auto-approve (state on this disk, ${localFile(id)}, until its bucket holds it)`,
    run: async () => {
      const moved = await inBucket(kind);
      await (moved ? remote : local).deploy([id]);
      return moved ? 'applied (state in its bucket)' : `applied (state in ${localFile(id)})`;
    },
    onFailure: `read Terraform's error above (a missing permission names the role your credentials need; an API "has not been used" error resolves once its enabling above has spread, about a minute); then ${rerun}`,
  });

  const move: Step = {
    name: 'move the state into the buckets',
    runs: remoteState
      ? `terraform init -migrate-state in each bootstrap stack: ${stacks.map(({ id }) => localFile(id)).join(', ')} → ${buckets}`
      : 'nothing: state.backend is local',
    isDone: async () => {
      if (!remoteState) return 'state.backend is local, so the state stays on this disk';
      return stacks.every(({ id }) => !existsSync(localFile(id))) && 'no local bootstrap state is left';
    },
    run: async () => {
      await remote.synth();
      for (const { id: stack } of stacks.filter(({ id }) => existsSync(localFile(id)))) {
        await remote.migrateState(stack);
        // Kept, renamed, as a backup of what was copied.
        renameSync(localFile(stack), `${localFile(stack)}.moved`);
      }
      return `the bootstrap stacks' state is in ${buckets} (the local copies are kept as *.tfstate.moved)`;
    },
    onFailure: `check that your credentials may write the state buckets, then ${rerun}: the local state files are only renamed once their state has been copied`,
  };

  const print: Step = {
    name: 'print the GitHub variables',
    runs: 'terraform output of both bootstrap stacks',
    run: async () => {
      const outputs: Record<string, unknown> = {};
      for (const { id } of stacks) Object.assign(outputs, await remote.outputs(id));
      const variables = githubVariables(env, outputs);
      context.print(`Set these in the repository (the GitHub environment ${env.name} for deploys; the repository itself, prefixed, for pull-request plans):`);
      for (const [environment, name, value] of variables) context.print(`  gh variable set ${name}${environment === undefined ? '' : ` --env ${environment}`} --body '${value}'`);
      if (env.github === undefined) context.print('  (no CI identities: set github.repository in the config and re-run to create them)');
      return `${variables.length} variables`;
    },
    onFailure: `the outputs are read from the bootstrap stacks' state: ${rerun}`,
  };

  return [takeBack, ...stacks.map(apply), move, print];
}

export const USAGE = `usage: npm run bootstrap -- <environment> [--dry-run]

Creates, on both clouds, what must exist before npm run deploy: the GCS and S3 state buckets, the
GCP APIs, the Artifact Registry repository, the secrets' containers, and (with github.repository
in the config) the GitHub Actions identities. What an earlier npm run destroy of the environment
left soft-deleted under the same ids (the workload identity pool and provider, the Secrets Manager
secrets) is undeleted and imported first. The first apply keeps its state on this disk; it then
moves into the buckets it created. Prints the GitHub variables to set. Safe to re-run.

  --dry-run   print the steps and what each runs; touch no cloud
  --help      this text`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseBootstrapArgs(args: readonly string[]): { environment: string; dryRun: boolean; help: boolean } {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', dryRun: false, help: true };
  return { environment: oneEnvironment(positionals, 'bootstrap'), dryRun: values['dry-run'], help: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('bootstrap', USAGE, () => parseBootstrapArgs(process.argv.slice(2)), async (command) => {
    const steps = bootstrapSteps({
      environment: command.environment,
      environmentsFile: environmentsFilePath(),
      runner: new ProcessRunner(),
      projectRoot: process.cwd(),
      print: (line) => console.log(line),
    });
    console.log(`bootstrap: ${command.environment}${command.dryRun ? ' (dry run: nothing is touched)' : ''}`);
    await runSteps(steps, { dryRun: command.dryRun });
  });
}
