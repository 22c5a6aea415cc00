/** A writer of log lines that batches them: one write per batch, not per line. */
export interface LineWriter {
  /** Queues one line (a newline is added). */
  readonly write: (line: string) => void;
  /** Writes whatever is queued, now. */
  readonly flush: () => void;
}

/** Options of {@link batchedLineWriter}. */
export interface LineWriterOptions {
  /**
   * Where batches go.
   * @default - stdout
   */
  readonly sink?: (chunk: string) => void;
  /**
   * The longest a line waits to be written, in milliseconds. Under load, every request of that
   * window shares one write (a system call), where a write per event-loop turn made several a
   * millisecond.
   * @default 10
   */
  readonly maxDelayMs?: number;
  /**
   * Write at once past this many queued characters.
   * @default 65536 (64 KiB)
   */
  readonly maxBufferedBytes?: number;
}

/**
 * Batches lines into one write per `maxDelayMs` (or per `maxBufferedBytes`, whichever comes first).
 * Lines keep their order; `flush` (called on shutdown and at exit) writes what is left. The timer
 * does not keep the process alive.
 */
export function batchedLineWriter(options: LineWriterOptions = {}): LineWriter {
  const { sink = (chunk) => void process.stdout.write(chunk), maxDelayMs = 10, maxBufferedBytes = 64 * 1024 } = options;
  let queued: string[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
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
      else if (timer === undefined) timer = setTimeout(flush, maxDelayMs).unref();
    },
    flush,
  };
}
