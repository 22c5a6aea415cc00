/** A writer of log lines that batches them: one write per event-loop turn, not per line. */
export interface LineWriter {
  /** Queues one line (a newline is added). */
  readonly write: (line: string) => void;
  /** Writes whatever is queued, now. */
  readonly flush: () => void;
}

/**
 * Batches lines written in the same event-loop turn into one write: under load a
 * write per request line costs a system call each. Lines keep their order; `flush`
 * (called on shutdown) writes what is left.
 *
 * @param sink - where batches go (default: stdout)
 * @param maxBufferedBytes - flush at once past this many queued characters (default 64 KiB)
 */
export function batchedLineWriter(
  sink: (chunk: string) => void = (chunk) => void process.stdout.write(chunk),
  maxBufferedBytes = 64 * 1024,
): LineWriter {
  let queued: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (queued.length === 0) return;
    const chunk = `${queued.join('\n')}\n`;
    queued = [];
    size = 0;
    sink(chunk);
  };
  return {
    write: (line) => {
      queued.push(line);
      size += line.length + 1;
      if (size >= maxBufferedBytes) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}
