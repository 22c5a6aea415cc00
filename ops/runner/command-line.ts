import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './usage-error.js';

/**
 * `parseArgs` in strict mode, its complaints (an unknown option, a missing value) turned into a
 * {@link UsageError}, so every operator command answers a bad flag the same way: the message, the
 * usage, exit 2.
 */
export function parseCommandLine<T extends Omit<ParseArgsConfig, 'strict'>>(config: T): ReturnType<typeof parseArgs<T & { strict: true }>> {
  try {
    return parseArgs({ ...config, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** The one environment a command was given, or a {@link UsageError} saying what is wrong (`verb`: what the command does to it). */
export function oneEnvironment(positionals: readonly string[], verb?: string): string {
  if (positionals.length === 0) throw new UsageError(`name the environment${verb === undefined ? '' : ` to ${verb}`}`);
  if (positionals.length > 1) throw new UsageError(`one environment at a time (got ${positionals.join(', ')})`);
  return positionals[0]!;
}

/** The range a numeric flag takes, and what its number counts. */
export interface NumberFlagRange {
  /** What the number counts, in the message: `minutes`. */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
  /** Whether only whole numbers are taken. */
  readonly whole: boolean;
}

/** A numeric flag's value, or a {@link UsageError} naming the flag, the value and the range it takes. */
export function numberFlag(flag: string, value: string, range: NumberFlagRange): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number < range.min || number > range.max || (range.whole && !Number.isInteger(number))) {
    throw new UsageError(`--${flag} ${value}: ${range.unit}, ${range.whole ? 'a whole number ' : ''}from ${range.min} to ${range.max}`);
  }
  return number;
}
