// `npm run destroy -- <env>`: tears an environment down, in order: the list of what will be removed,
// a typed confirmation, then edge → every AWS region's stack → gcp → the images deploy pushed → any
// log group left behind; with --include-bootstrap, after a second confirmation, the bootstrap
// stacks and, last, the state buckets. Resumable. Run with --help for the options.
import { fileURLToPath } from 'node:url';
import { ProcessRunner } from './clouds/command.js';
import { bootstrapTeardownSteps } from './destroy/bootstrap-steps.js';
import { confirmByName, terminalPrompt } from './destroy/confirmation.js';
import type { DestroyContext } from './destroy/context.js';
import { readInventory, renderInventory } from './destroy/inventory.js';
import { protectedServices, protectionRefusal } from './destroy/protection.js';
import { servingSteps } from './destroy/serving-steps.js';
import { Teardown } from './destroy/teardown.js';
import { environmentsFilePath } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { oneEnvironment, parseCommandLine } from './runner/command-line.js';
import { runSteps, type RunStepsOptions, type Step } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

export { DestroyRefused, type DestroyContext } from './destroy/context.js';

/** The steps of a teardown, in order: the serving part, then the bootstrap part when asked for. */
export function destroySteps(teardown: Teardown): Step[] {
  return [...servingSteps(teardown), ...(teardown.context.includeBootstrap ? bootstrapTeardownSteps(teardown) : [])];
}

/**
 * Tears an environment down: refuses one under deletion protection (saying how to lift it), prints
 * what will be removed (read from the stacks' states and the clouds, nothing changed), asks for the
 * environment's name, then runs the steps; a re-run skips what is gone. A dry run prints the list
 * and the steps, and changes nothing.
 */
export async function runDestroy(context: DestroyContext, options: RunStepsOptions = {}): Promise<void> {
  const teardown = new Teardown(context);
  const { env } = teardown;
  if (env.deletionProtection) throw protectionRefusal(env, context.environmentsFile);
  const inventory = await readInventory(teardown);
  for (const line of renderInventory(teardown, inventory)) context.print(line);
  const stillProtected = protectedServices(inventory.serving.find((entry) => entry.stack.kind === 'gcp')!.resources);
  if (stillProtected.length > 0) throw protectionRefusal(env, context.environmentsFile, stillProtected);
  const steps = destroySteps(teardown);
  if (!options.dryRun) await confirmByName(context, env.name, `Type ${env.name} to destroy it: `, 'nothing was touched');
  await runSteps(steps, options);
}

export const USAGE = `usage: npm run destroy -- <environment> [--yes] [--include-bootstrap] [--force-delete-secrets] [--dry-run]

Tears an environment down. First the list of what will be removed (read from each stack's state),
then a typed confirmation (the environment's name), then <env>-edge, every <env>-aws stack, <env>-gcp,
the images npm run deploy pushed, and any log group left behind. A re-run after a failure skips what
is gone. An environment under deletion protection (the production tier's default) is refused, with
the steps that lift it.

  --yes                    take the confirmations as given (for CI: no terminal needed)
  --include-bootstrap      then, after a second confirmation, the bootstrap stacks too (secrets, image
                           repository, CI identities, Cloud Build's sources), and last the state buckets,
                           emptied of every object version and delete marker
  --force-delete-secrets   with --include-bootstrap: delete the Secrets Manager secrets at once instead
                           of leaving them their 30-day recovery window
  --dry-run                print the list and the steps; change nothing
  --help                   this text

Environment: MCP_ENVIRONMENTS_FILE (default stacks/environments.json).`;

/** The parsed command line. */
export interface DestroyCommand {
  /** The environment to tear down. */
  readonly environment: string;
  /** `--yes`: take the confirmations as given. */
  readonly yes: boolean;
  /** `--include-bootstrap`: the bootstrap stacks and the state buckets too. */
  readonly includeBootstrap: boolean;
  /** `--force-delete-secrets`: no recovery window for the Secrets Manager secrets. */
  readonly forceDeleteSecrets: boolean;
  /** `--dry-run`: print the list and the steps only. */
  readonly dryRun: boolean;
  /** `--help`: print the usage only. */
  readonly help: boolean;
}

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseDestroyArgs(args: readonly string[]): DestroyCommand {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: {
      yes: { type: 'boolean', default: false },
      'include-bootstrap': { type: 'boolean', default: false },
      'force-delete-secrets': { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const command = {
    yes: values.yes,
    includeBootstrap: values['include-bootstrap'],
    forceDeleteSecrets: values['force-delete-secrets'],
    dryRun: values['dry-run'],
  };
  if (values.help) return { environment: '', ...command, help: true };
  const environment = oneEnvironment(positionals, 'destroy');
  if (command.forceDeleteSecrets && !command.includeBootstrap) {
    throw new UsageError('--force-delete-secrets needs --include-bootstrap: the secrets belong to the bootstrap stacks, which are otherwise kept');
  }
  return { environment, ...command, help: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('destroy', USAGE, () => parseDestroyArgs(process.argv.slice(2)), async (command) => {
    console.log(`destroy: ${command.environment}${command.dryRun ? ' (dry run: nothing is changed)' : ''}`);
    await runDestroy(
      {
        environment: command.environment,
        environmentsFile: environmentsFilePath(),
        runner: new ProcessRunner(),
        projectRoot: process.cwd(),
        includeBootstrap: command.includeBootstrap,
        forceDeleteSecrets: command.forceDeleteSecrets,
        yes: command.yes,
        prompt: terminalPrompt(),
        print: (line) => console.log(line),
      },
      { dryRun: command.dryRun },
    );
    if (!command.dryRun) console.log(`destroy: ${command.environment} is gone${command.includeBootstrap ? ', its bootstrap and state buckets too' : ' (its bootstrap stacks are kept)'}`);
  });
}
