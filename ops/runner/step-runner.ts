import { StepLog, type StepLogOutput } from './step-log.js';

/** One named step of an operator command. */
export interface Step {
  /** Short name, used in progress and failures: `push the image`. */
  readonly name: string;
  /** What it runs, in words an operator can repeat by hand: `gcloud builds submit …`. */
  readonly runs: string;
  /**
   * Whether the step's outcome is already in place (a re-run after a failure skips it): a short
   * description of what was found, or `false`.
   * @default - never done: the step always runs
   */
  readonly isDone?: () => Promise<string | false>;
  /** Does the work; resolves with a one-line outcome. */
  readonly run: () => Promise<string>;
  /** What to do when it fails: the next thing an operator should try. */
  readonly onFailure: string;
}

/** A step that failed: names the step, the cloud's (or tool's) own error, and what to do next. */
export class StepFailure extends Error {
  override name = 'StepFailure';
  constructor(
    readonly step: string,
    override readonly cause: Error,
    readonly nextAction: string,
    position: string,
  ) {
    super(`${position} ${step} failed:\n  ${cause.message.replace(/\n/g, '\n  ')}\nnext: ${nextAction}`);
  }
}

/** Options of {@link runSteps}. */
export interface RunStepsOptions {
  /**
   * Print the plan (each step and what it runs) without running, or checking, anything.
   * @default false
   */
  readonly dryRun?: boolean;
  /**
   * Where progress and outcomes go.
   * @default - progress to stderr, outcomes to stdout
   */
  readonly output?: StepLogOutput;
}

/**
 * Runs steps in order with `[n/m]` progress and elapsed times. A step already done (its
 * `isDone` finds its outcome in place) is skipped, so re-running a failed command resumes
 * where it stopped. The first failure stops the run with a {@link StepFailure}.
 */
export async function runSteps(steps: readonly Step[], options: RunStepsOptions = {}): Promise<void> {
  const log = new StepLog(steps.length, options.output);
  if (options.dryRun) {
    for (const [index, step] of steps.entries()) (options.output?.result ?? console.log)(`[${index + 1}/${steps.length}] ${step.name}: ${step.runs}`);
    return;
  }
  for (const [index, step] of steps.entries()) {
    await log.step(
      `${step.name}: ${step.runs}`,
      async () => {
        try {
          const done = step.isDone === undefined ? false : await step.isDone();
          return done === false ? `${step.name}: ${await step.run()}` : `${step.name}: already done (${done}), skipped`;
        } catch (error) {
          const cause = error instanceof Error ? error : new Error(String(error));
          throw new StepFailure(step.name, cause, step.onFailure, `[${index + 1}/${steps.length}]`);
        }
      },
      (outcome) => outcome,
    );
  }
}
