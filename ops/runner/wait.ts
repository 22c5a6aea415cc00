import { seconds } from './step-log.js';

/** What a poll found. */
export interface Poll {
  /** Whether the wait is over. */
  readonly done: boolean;
  /** What was seen, for progress and for the error when the wait gives up: `PROVISIONING`. */
  readonly status: string;
}

/** Options of {@link waitUntil}. */
export interface WaitOptions {
  /** What is awaited, in words: `certificate mcp-bridge-staging-cert to be ACTIVE`. */
  readonly what: string;
  /** Looks once. */
  readonly poll: () => Promise<Poll>;
  /** The longest wait, in milliseconds. */
  readonly timeoutMs: number;
  /** Time between polls, in milliseconds. */
  readonly intervalMs: number;
  /** Sleeps (tests pass a fake clock's). */
  readonly sleep: (ms: number) => Promise<void>;
  /** Milliseconds now (tests pass a fake clock's). */
  readonly now: () => number;
  /** Receives a line per poll: what is awaited, what was seen, how long so far out of how long. */
  readonly progress: (line: string) => void;
}

/** Polls until `poll` says done; resolves with the last status, or rejects saying what it waited for and what it last saw. */
export async function waitUntil(options: WaitOptions): Promise<string> {
  const started = options.now();
  for (;;) {
    const { done, status } = await options.poll();
    const waited = options.now() - started;
    if (done) return status;
    if (waited >= options.timeoutMs) {
      throw new Error(`gave up after ${seconds(waited)} waiting for ${options.what}; last seen: ${status}`);
    }
    options.progress(`  waiting for ${options.what}: ${status} (${seconds(waited)} of at most ${seconds(options.timeoutMs)})`);
    await options.sleep(options.intervalMs);
  }
}
