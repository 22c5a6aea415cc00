import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Readable } from 'node:stream';
import { coalesceStdinWrites } from './coalesced-stdin.js';
import type { TransportPlan } from './mcp-connection.js';
import { resolveConfiguredValues } from './configured-values.js';
import type { StdioServer } from './server-list.js';
import { logStderr } from './stderr-log.js';

/**
 * How to run a stdio server: its command with its arguments, in its working directory, with the
 * SDK's default inherited variables (`PATH`, `HOME`, …: never the bridge's own settings or secrets)
 * plus its configured ones; its stderr goes to the log, tagged with the server. Secrets are resolved
 * here, so a missing one fails the start naming it.
 */
export function stdioPlan(name: string, server: StdioServer, environment: Readonly<Record<string, string | undefined>>, log: (line: string) => void): TransportPlan {
  const env = resolveConfiguredValues(server.env, environment, `servers.${name}.stdio.env`);
  return {
    kind: 'stdio',
    target: [server.command, ...server.args].join(' '),
    open: () => {
      const transport = new StdioClientTransport({
        command: server.command,
        args: [...server.args],
        env,
        stderr: 'pipe',
        ...(server.cwd === undefined ? {} : { cwd: server.cwd }),
      });
      coalesceStdinWrites(transport);
      const tail = logStderr(transport.stderr as Readable, { server: name, log });
      return { transport, lastWords: tail.lastLines };
    },
  };
}
