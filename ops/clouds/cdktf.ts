import { join } from 'node:path';
import { runChecked, type CommandRunner } from './command.js';

/** `cdktf` and the Terraform state of its stacks. */
export class Cdktf {
  constructor(
    private readonly runner: CommandRunner,
    /** Variables every cdktf run gets (`MCP_ENVIRONMENTS_FILE`, a bootstrap's local state). */
    private readonly env: Readonly<Record<string, string>> = {},
    /** Where synth writes the stacks. */
    readonly outdir = 'cdktf.out',
  ) {}

  /**
   * Synthesizes and applies stacks, streaming cdktf's output. The operator commands order the
   * stacks themselves (gcp → aws → edge), and cdktf refuses to deploy a stack whose dependencies
   * are not in the same run unless told not to (cdktf-cli's deploy: "The following dependencies are
   * not included in the stacks to run"), hence `--ignore-missing-stack-dependencies`.
   */
  async deploy(stacks: readonly string[]): Promise<void> {
    await runChecked(this.runner, 'npx', ['cdktf', 'deploy', ...stacks, '--auto-approve', '--ignore-missing-stack-dependencies'], {
      env: { CHECKPOINT_DISABLE: '1', ...this.env },
      stream: true,
    });
  }

  /**
   * Destroys stacks, streaming cdktf's output. The operator commands order the stacks themselves
   * (edge → aws → gcp), and cdktf refuses to destroy a stack whose dependants are not in the same
   * run, even once they are gone, unless told not to (cdktf-cli's `checkIfAllDependantsAreIncluded`:
   * "The following dependant stacks are not included in the stacks to run"), hence
   * `--ignore-missing-stack-dependencies`.
   */
  async destroy(stacks: readonly string[]): Promise<void> {
    await runChecked(this.runner, 'npx', ['cdktf', 'destroy', ...stacks, '--auto-approve', '--ignore-missing-stack-dependencies'], {
      env: { CHECKPOINT_DISABLE: '1', ...this.env },
      stream: true,
    });
  }

  /** Synthesizes every stack. */
  async synth(): Promise<void> {
    await runChecked(this.runner, 'npx', ['cdktf', 'synth'], { env: { CHECKPOINT_DISABLE: '1', ...this.env } });
  }

  /** A deployed stack's outputs, by name; `{}` when the stack has none (or was never applied). */
  async outputs(stack: string): Promise<Record<string, unknown>> {
    const result = await this.runner.run('terraform', [`-chdir=${this.stackDirectory(stack)}`, 'output', '-json'], { env: this.env });
    if (result.exitCode !== 0) return {};
    const outputs = JSON.parse(result.stdout || '{}') as Record<string, { value: unknown }>;
    return Object.fromEntries(Object.entries(outputs).map(([name, { value }]) => [name, value]));
  }

  /** Moves a stack's state to the backend it now declares (`terraform init -migrate-state`). */
  async migrateState(stack: string): Promise<void> {
    await runChecked(this.runner, 'terraform', [`-chdir=${this.stackDirectory(stack)}`, 'init', '-migrate-state', '-force-copy', '-input=false'], { env: this.env });
  }

  /**
   * Initialises a stack's folder for the backend it declares now, forgetting the one it used before
   * without copying any state (`terraform init -reconfigure`): cdktf's own `terraform init` stops
   * at a changed backend.
   */
  async reconfigure(stack: string): Promise<void> {
    await runChecked(this.runner, 'terraform', [`-chdir=${this.stackDirectory(stack)}`, 'init', '-reconfigure', '-input=false'], { env: this.env });
  }

  /** Initialises a stack's folder for the backend it declares (`terraform init`), as cdktf's own runs do. */
  async init(stack: string): Promise<void> {
    await runChecked(this.runner, 'terraform', [`-chdir=${this.stackDirectory(stack)}`, 'init', '-input=false'], { env: this.env });
  }

  /** Brings an existing cloud resource under a stack's management at an address of its configuration (`terraform import`). */
  async importResource(stack: string, address: string, id: string): Promise<void> {
    await runChecked(this.runner, 'terraform', [`-chdir=${this.stackDirectory(stack)}`, 'import', '-input=false', address, id], { env: this.env });
  }

  /** Removes resources from a stack's state without touching them (`terraform state rm`): Terraform no longer manages them. */
  async forget(stack: string, addresses: readonly string[]): Promise<void> {
    await runChecked(this.runner, 'terraform', [`-chdir=${this.stackDirectory(stack)}`, 'state', 'rm', ...addresses], { env: this.env });
  }

  /** The folder synth writes a stack to. */
  stackDirectory(stack: string): string {
    return join(this.outdir, 'stacks', stack);
  }
}
