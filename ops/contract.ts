// `npm run contract -- [<env> ...] [--check]`: each environment's servers started as the bridge
// would start them, their tools, resources and prompts read, checked, and snapshotted in
// contracts/<env>/<server>.json. `npm run contract -- diff`: what changed against the pull request's
// base, for its comment. Run with --help.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseEnvironments, type EnvironmentConfig } from '../stacks/config.js';
import { ProcessRunner, runChecked, type CommandRunner } from './clouds/command.js';
import { describeChange, diffContracts } from './contract/contract-diff.js';
import { refusals, reviewComment, reviewEnvironment, type EnvironmentReview } from './contract/contract-review.js';
import { CONTRACT_CACHE_DIRECTORY } from './contract/local-servers.js';
import { readContracts } from './contract/read-contracts.js';
import { contractIn, CONTRACTS_DIRECTORY, parseSnapshot, readSnapshots, readSnapshotsIn, RELEASED_FILE, snapshotFile, writeSnapshots, type ContractSnapshot } from './contract/snapshot-files.js';
import { environmentsFilePath } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { parseCommandLine } from './runner/command-line.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

export const USAGE = `usage: npm run contract -- [<environment> ...] [--check]
       npm run contract -- diff [--base <git ref> | --base-dir <folder>] [--comment <file>]

Starts each environment's servers as the bridge would (a packaged stdio server from its package at
its pinned version, installed once into ${CONTRACT_CACHE_DIRECTORY}), reads their tools, resources
and prompts, checks them (each schema compiled by the MCP SDK, names hosts take, descriptions), and
writes ${CONTRACTS_DIRECTORY}/<env>/<server>.json. Every environment of the file when none is named.

  --check            write nothing: exit 1 naming each snapshot that is not what the servers list

diff: what changed from the snapshots at --base (a git ref, default origin/main) or in --base-dir
(a folder of <env>/<server>.json) to those in ${CONTRACTS_DIRECTORY}/, each change marked breaking or
compatible, as Markdown (to --comment, else stdout). Exit 1 when a production-tier environment has
a breaking change its config does not acknowledge.

  --head-dir <folder>  compare with this folder instead of ${CONTRACTS_DIRECTORY}/
  --help               this text

Environment: MCP_ENVIRONMENTS_FILE (default stacks/environments.json). A secret a server names is
read from this environment, or is a placeholder.`;

/** The parsed command line. */
export type ContractCommand =
  | { readonly verb: 'snapshot'; readonly environments: readonly string[]; readonly check: boolean; readonly help: boolean }
  | { readonly verb: 'diff'; readonly base: { readonly ref: string } | { readonly folder: string }; readonly headFolder?: string; readonly comment?: string; readonly help: boolean };

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseContractArgs(args: readonly string[]): ContractCommand {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: {
      check: { type: 'boolean', default: false },
      base: { type: 'string' },
      'base-dir': { type: 'string' },
      'head-dir': { type: 'string' },
      comment: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) return { verb: 'snapshot', environments: [], check: false, help: true };
  if (positionals[0] === 'diff') {
    if (positionals.length > 1) throw new UsageError(`diff takes no environment (it compares every one): got ${positionals.slice(1).join(' ')}`);
    if (values.check) throw new UsageError('--check is for snapshots, not diff');
    if (values.base !== undefined && values['base-dir'] !== undefined) throw new UsageError('give --base or --base-dir, not both');
    return {
      verb: 'diff',
      base: values['base-dir'] !== undefined ? { folder: resolve(values['base-dir']) } : { ref: values.base ?? 'origin/main' },
      ...(values['head-dir'] === undefined ? {} : { headFolder: resolve(values['head-dir']) }),
      ...(values.comment === undefined ? {} : { comment: values.comment }),
      help: false,
    };
  }
  for (const flag of ['base', 'base-dir', 'head-dir', 'comment'] as const) if (values[flag] !== undefined) throw new UsageError(`--${flag} is for diff (npm run contract -- diff --${flag} …)`);
  return { verb: 'snapshot', environments: positionals, check: values.check, help: false };
}

/** The environments the file has, or those named (each must be there). */
function chosen(environments: readonly EnvironmentConfig[], names: readonly string[], file: string): EnvironmentConfig[] {
  if (names.length === 0) return [...environments];
  return names.map((name) => {
    const env = environments.find((candidate) => candidate.name === name);
    if (env === undefined) throw new UsageError(`${file}: no environment "${name}" (it has ${environments.map((candidate) => candidate.name).join(', ')})`);
    return env;
  });
}

/** Options of {@link snapshotSteps}. */
export interface SnapshotStepsOptions {
  readonly root: string;
  readonly runner: CommandRunner;
  readonly check: boolean;
  readonly progress: (line: string) => void;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** The steps of a snapshot run: per environment, read (start, list, check) and write or compare. */
export function snapshotSteps(environments: readonly EnvironmentConfig[], options: SnapshotStepsOptions): Step[] {
  return environments.flatMap((env): Step[] => {
    let read: ContractSnapshot[] | undefined;
    const servers = env.servers?.map(({ name, server }) => `${name} (${Object.keys(server).find((key) => key !== 'audit')})`).join(', ') ?? 'builtin (the built-in tools)';
    return [
      {
        name: `read ${env.name}'s contract`,
        runs: `start ${servers}; tools/list, resources/list, resources/templates/list, prompts/list; the checks`,
        run: async () => {
          read = await readContracts(env, { root: options.root, cacheDirectory: resolve(options.root, CONTRACT_CACHE_DIRECTORY), runner: options.runner, environment: options.environment, progress: options.progress });
          return read.map((snapshot) => `${snapshot.server}: ${snapshot.tools.length} tools, ${snapshot.resources.length + snapshot.resourceTemplates.length} resources, ${snapshot.prompts.length} prompts (${snapshot.fingerprint.slice(0, 19)}…)`).join('\n');
        },
        onFailure: `the message names the server (and the tool and the path in its schema): fix it, then run npm run contract -- ${env.name} again`,
      },
      {
        name: options.check ? `compare with ${CONTRACTS_DIRECTORY}/${env.name}/` : `write ${CONTRACTS_DIRECTORY}/${env.name}/`,
        runs: `one <server>.json per server, in a stable order${options.check ? '' : `; files of servers no longer configured removed (${RELEASED_FILE} is deploy's)`}`,
        run: async () => {
          const snapshots = read!;
          // A snapshot that is not one (a bad merge) is written again, not a reason to stop.
          const before = (() => {
            try {
              return readSnapshots(options.root, env.name);
            } catch {
              return new Map<string, ContractSnapshot>();
            }
          })();
          const changes = writeSnapshots(options.root, env.name, snapshots, { check: options.check });
          const stale = [...changes.written, ...changes.removed];
          if (stale.length === 0) return `${changes.unchanged.length} snapshots up to date`;
          const written = new Set(changes.written);
          const what = snapshots
            .filter((snapshot) => written.has(snapshotFile(options.root, env.name, snapshot.server)))
            .flatMap((snapshot) => {
              const old = before.get(snapshot.server);
              if (old === undefined) return [`${snapshot.server}: ${existsSync(snapshotFile(options.root, env.name, snapshot.server)) ? 'its file is not a snapshot (a bad merge?)' : 'no snapshot yet'}`];
              const changed = diffContracts(contractIn(old), contractIn(snapshot));
              if (changed.length === 0) return [`${snapshot.server}: the same contract, written differently (or its fingerprint is not the contract's)`];
              return changed.map((change) => `${snapshot.server}: ${describeChange(change)}${change.breaking ? ' [breaking]' : ''}`);
            });
          const removed = changes.removed.map((file) => `${file}: its server is no longer configured`);
          if (options.check) throw new Error(`stale: ${stale.join(', ')}\n${[...what, ...removed].join('\n')}`);
          return [`wrote ${changes.written.length}, removed ${changes.removed.length}`, ...what, ...removed].join('\n');
        },
        onFailure: `the servers list other than their snapshots say: run npm run contract -- ${env.name} and commit ${CONTRACTS_DIRECTORY}/${env.name}/ (its diff is the contract's, reviewed in the pull request)`,
      },
    ];
  });
}

/** The snapshots of every environment at a git ref (none for an environment the ref has no folder of). */
async function snapshotsAtRef(runner: CommandRunner, ref: string, environment: string): Promise<Map<string, ContractSnapshot>> {
  const listed = await runner.run('git', ['ls-tree', '--name-only', `${ref}:${CONTRACTS_DIRECTORY}/${environment}`]);
  if (listed.exitCode !== 0) {
    // The ref itself must exist: a missing folder at it is a first snapshot, a missing ref is a mistake.
    await runChecked(runner, 'git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).catch(() => {
      throw new UsageError(`--base ${ref}: no such commit here (fetch it first: git fetch origin ${ref.replace(/^origin\//, '')})`);
    });
    return new Map();
  }
  const snapshots = new Map<string, ContractSnapshot>();
  for (const entry of listed.stdout.split('\n').filter((line) => line.endsWith('.json') && line !== RELEASED_FILE)) {
    const path = `${CONTRACTS_DIRECTORY}/${environment}/${entry}`;
    const shown = await runChecked(runner, 'git', ['show', `${ref}:${path}`]);
    snapshots.set(entry.slice(0, -'.json'.length), parseSnapshot(shown.stdout, `${ref}:${path}`));
  }
  return snapshots;
}

/** Options of {@link reviewChanges}. */
export interface ReviewOptions {
  readonly root: string;
  readonly runner: CommandRunner;
  /** The snapshots compared with: at a git ref, or in a folder of `<env>/<server>.json`. */
  readonly base: { readonly ref: string } | { readonly folder: string };
  /**
   * A folder of `<env>/<server>.json` to compare instead of the repository's `contracts/`.
   * @default - the repository's snapshots
   */
  readonly headFolder?: string;
}

/** Reviews every environment's contract change from the base to the head. */
export async function reviewChanges(environments: readonly EnvironmentConfig[], options: ReviewOptions): Promise<EnvironmentReview[]> {
  const reviews: EnvironmentReview[] = [];
  for (const env of environments) {
    const before = 'ref' in options.base ? await snapshotsAtRef(options.runner, options.base.ref, env.name) : readSnapshotsIn(join(options.base.folder, env.name));
    const after = options.headFolder === undefined ? readSnapshots(options.root, env.name) : readSnapshotsIn(join(options.headFolder, env.name));
    reviews.push(reviewEnvironment(env, before, after));
  }
  return reviews;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('contract', USAGE, () => parseContractArgs(process.argv.slice(2)), async (command) => {
    const file = environmentsFilePath();
    const environments = parseEnvironments(JSON.parse(readFileSync(file, 'utf8')));
    const runner = new ProcessRunner();
    const root = process.cwd();
    if (command.verb === 'snapshot') {
      const envs = chosen(environments, command.environments, file);
      await runSteps(snapshotSteps(envs, { root, runner, check: command.check, progress: (line) => console.error(line), environment: process.env }));
      return 0;
    }
    const reviews = await reviewChanges(environments, {
      root,
      runner,
      base: command.base,
      ...(command.headFolder === undefined ? {} : { headFolder: command.headFolder }),
    });
    const comment = reviewComment(reviews, 'ref' in command.base ? `\`${command.base.ref}\`` : `\`${relative(root, command.base.folder)}\``);
    if (command.comment === undefined) console.log(comment);
    else writeFileSync(command.comment, comment);
    const refused = reviews.flatMap((review) => refusals(review, file));
    if (refused.length > 0) console.error(`contract: breaking changes the production tier needs acknowledged:\n  ${refused.join('\n  ')}`);
    return refused.length > 0 ? 1 : 0;
  });
}
