import { performance } from 'node:perf_hooks';

/** Where {@link StepLog} writes: progress (what runs now) and results (one line per finished step). */
export interface StepLogOutput {
  /** A line saying what runs now; a command's progress, not its result (stderr by default). */
  readonly progress: (line: string) => void;
  /** A line with a step's outcome (stdout by default). */
  readonly result: (line: string) => void;
}

const STDIO: StepLogOutput = {
  progress: (line) => process.stderr.write(`${line}\n`),
  result: (line) => process.stdout.write(`${line}\n`),
};

/** Seconds, one decimal: `4.2 s`. */
export function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}

/**
 * Progress of a command made of numbered steps: `[n/m] <what runs>` when a step starts and
 * `[n/m] <outcome> (<step time>, <time since the command started>)` when it ends (details of the
 * outcome on the lines after it), so a long
 * command always says which step it is on, what it runs and how long it has taken.
 */
export class StepLog {
  readonly #started = performance.now();
  #total: number | undefined;
  #current = 0;

  /** @param total - the number of steps, when known (`[n/…]` until it is) */
  constructor(
    total: number | undefined,
    private readonly output: StepLogOutput = STDIO,
  ) {
    this.#total = total;
  }

  /** Changes the number of steps, once it is known (for example after a step that discovers work). */
  set total(total: number | undefined) {
    this.#total = total;
  }

  /** Time since the command started, formatted. */
  get elapsed(): string {
    return seconds(performance.now() - this.#started);
  }

  /** Runs the next step: prints what runs, awaits the work, prints the outcome `describe` gives. */
  async step<T>(what: string, work: () => Promise<T>, describe: (result: T) => string): Promise<T> {
    const number = `[${++this.#current}/${this.#total ?? '…'}]`;
    this.output.progress(`${number} ${what}`);
    const started = performance.now();
    const result = await work();
    // The timing goes on the outcome's first line; any further lines (details) follow it.
    const [headline, ...details] = describe(result).split('\n');
    this.output.result([`${number} ${headline} (${seconds(performance.now() - started)}, ${this.elapsed} in all)`, ...details].join('\n'));
    return result;
  }
}
