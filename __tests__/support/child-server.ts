import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

/** The real Node entry in its own process, as Cloud Run runs it. */
export interface ChildServer {
  readonly process: ChildProcess;
  readonly url: string;
  readonly lines: string[];
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
}

/** Starts `app/node.ts` in a child process on a free port and waits until it listens. */
export async function startChildServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'app/node.ts'], {
    env: { ...process.env, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const lines: string[] = [];
  const port = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /listening on http:\/\/0\.0\.0\.0:(\d+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return { process: child, url: `http://127.0.0.1:${port}`, lines, exited };
}
