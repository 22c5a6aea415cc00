import { startServerProcess, type ServerProcess } from '../../scripts/server-process.js';

/** The real Node entry in its own process, as Cloud Run runs it, with the lines it printed. */
export interface ChildServer extends ServerProcess {
  readonly lines: string[];
}

/** Starts `app/node.ts` in a child process on a free port and waits until it listens. */
export async function startChildServer(env: Record<string, string> = {}): Promise<ChildServer> {
  const lines: string[] = [];
  const server = await startServerProcess(['--import', 'tsx', 'app/node.ts'], { env, onLine: (line) => lines.push(line) });
  return { ...server, lines };
}
