import type { CommandRunner } from '../clouds/command.js';

/** What a teardown needs from outside. */
export interface DestroyContext {
  /** The environment's name. */
  readonly environment: string;
  /** The environments file. */
  readonly environmentsFile: string;
  /** Runs cdktf, terraform, gcloud and aws. */
  readonly runner: CommandRunner;
  /** The project root: `cdktf.out/`, the local state files and the deploy journal (`.deploy/`) are there. */
  readonly projectRoot: string;
  /**
   * Also remove the bootstrap stacks, their secrets and Cloud Build's sources, then (last) the
   * state buckets, after a second confirmation.
   * @default false
   */
  readonly includeBootstrap?: boolean;
  /**
   * Delete the Secrets Manager secrets at once instead of leaving them their 30-day recovery window
   * (with `includeBootstrap`: the bootstrap stacks own them).
   * @default false
   */
  readonly forceDeleteSecrets?: boolean;
  /**
   * Take every confirmation as given (`--yes`).
   * @default false - the operator types the environment's name
   */
  readonly yes?: boolean;
  /** Asks the operator a question and resolves with the answer; `undefined` when there is no terminal to ask on. */
  readonly prompt: ((question: string) => Promise<string>) | undefined;
  /** Prints the list of what will be removed. */
  readonly print: (line: string) => void;
}

/** A teardown (or its next part) refused before it touched anything: the message says why and what to do. */
export class DestroyRefused extends Error {
  override name = 'DestroyRefused';
}
