// How a game day stops on Ctrl-C: an abort that every wait sees, so the check is restored before the process ends.
import { setTimeout as delay } from 'node:timers/promises';

/** Sleeps; rejects with the signal's reason (the interruption) as soon as it is aborted. */
export async function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch((error: unknown) => {
    throw signal.aborted ? signal.reason : error;
  });
}

/**
 * Turns SIGINT (Ctrl-C) and SIGTERM into an abort: the game day stops where it is and restores the
 * check. A second signal does not end the process while the restore runs; it says so instead.
 * Returns what removes the handlers.
 * @param emitter - where the signals come from (tests pass an EventEmitter); by default this process
 */
export function abortOnSignals(controller: AbortController, print: (line: string) => void, emitter: Pick<NodeJS.EventEmitter, 'on' | 'off'> = process): () => void {
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      print(`gameday: ${signal} again: still restoring the health check; wait for it`);
      return;
    }
    print(`gameday: ${signal}: stopping; the health check is restored first`);
    controller.abort(new Error(`interrupted (${signal})`));
  };
  for (const signal of ['SIGINT', 'SIGTERM']) emitter.on(signal, onSignal);
  return () => {
    for (const signal of ['SIGINT', 'SIGTERM']) emitter.off(signal, onSignal);
  };
}
