import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** A server running in a child process, listening on a free loopback port. */
export interface ServerProcess {
  readonly process: ChildProcess;
  /** Its base URL, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** Options of {@link startServerProcess}. */
export interface ServerProcessOptions {
  /**
   * Extra environment variables (on top of this process's, with `PORT=0`).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * The working directory.
   * @default - this process's
   */
  readonly cwd?: string;
  /**
   * Receives every line the server prints.
   * @default - lines are dropped
   */
  readonly onLine?: (line: string) => void;
}

/** What every server here prints once it listens: the Node entry, the floor, the SDK baseline. */
const LISTENING = /listening on http:\/\/0\.0\.0\.0:(\d+)/;

/**
 * Starts `node <args>` with `PORT=0` and resolves once it prints that it listens,
 * with the port it got. Rejects if it exits first.
 */
export async function startServerProcess(args: readonly string[], options: ServerProcessOptions = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, [...args], {
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    env: { ...process.env, PORT: '0', ...options.env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const port = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      options.onLine?.(line);
      const match = LISTENING.exec(line);
      if (!match) return;
      resolve(match[1]!);
      // Nobody wants the lines: stop splitting them (under load that costs this process CPU)
      // and let the output drain unread.
      if (options.onLine === undefined) {
        lines.close();
        child.stdout!.resume();
      }
    });
    void exited.then((code) => reject(new Error(`${args.join(' ')} exited with ${code} before listening`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}`, exited };
}
