import type { Readable } from 'node:stream';

/** Options of {@link logStderr}. */
export interface StderrLogOptions {
  /** The server the lines come from: every log line is tagged with it. */
  readonly server: string;
  /** Where log lines go. */
  readonly log: (line: string) => void;
  /**
   * Lines logged per second, at most; a flood beyond it is counted and the count logged once a second.
   * @default 100
   */
  readonly linesPerSecond?: number;
  /**
   * Longest line logged, in characters; the rest of a longer line is cut.
   * @default 4096
   */
  readonly maxLineLength?: number;
  /**
   * The last lines kept, to say why a server that exited did so.
   * @default 10
   */
  readonly keepLast?: number;
}

/** What {@link logStderr} keeps of a server's stderr. */
export interface StderrTail {
  /** The last lines it wrote (the newest last), for the message of a server that exited. */
  readonly lastLines: () => readonly string[];
}

/**
 * Logs a server's stderr as JSON lines tagged with the server (`{"severity":"INFO","server":…,
 * "stream":"stderr","message":…}`), one per line it writes, bounded: a flood costs the log at most
 * `linesPerSecond` lines and one line saying how many were dropped, and no line is kept whole past
 * `maxLineLength` (a server writing megabytes without a newline does not grow the bridge's memory).
 */
export function logStderr(stream: Readable, options: StderrLogOptions): StderrTail {
  const { server, log, linesPerSecond = 100, maxLineLength = 4096, keepLast = 10 } = options;
  const last: string[] = [];
  let partial = '';
  let windowStart = 0;
  let loggedInWindow = 0;
  let dropped = 0;

  const reportDropped = () => {
    if (dropped === 0) return;
    log(JSON.stringify({ severity: 'WARNING', server, stream: 'stderr', message: `server "${server}" wrote ${dropped} more stderr lines in a second than the log takes (${linesPerSecond}/s): dropped` }));
    dropped = 0;
  };
  const line = (text: string) => {
    last.push(text);
    if (last.length > keepLast) last.shift();
    const now = Date.now();
    if (now - windowStart >= 1000) {
      reportDropped();
      windowStart = now;
      loggedInWindow = 0;
    }
    if (loggedInWindow >= linesPerSecond) {
      // The count is logged when the second ends, whether or not another line comes.
      if (dropped === 0) setTimeout(reportDropped, Math.max(0, windowStart + 1000 - now)).unref();
      dropped += 1;
      return;
    }
    loggedInWindow += 1;
    log(JSON.stringify({ severity: 'INFO', server, stream: 'stderr', message: text }));
  };

  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const pieces = (partial + chunk).split('\n');
    partial = pieces.pop()!;
    // A line that never ends is logged in pieces of the longest length, never held whole.
    while (partial.length >= maxLineLength) {
      pieces.push(partial.slice(0, maxLineLength));
      partial = partial.slice(maxLineLength);
    }
    for (const piece of pieces) {
      const text = piece.replace(/\r$/, '');
      if (text !== '') line(text.length > maxLineLength ? `${text.slice(0, maxLineLength)}…` : text);
    }
  });
  stream.on('end', () => {
    if (partial !== '') line(partial);
    partial = '';
    reportDropped();
  });
  return { lastLines: () => [...last] };
}
