import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testPython } from './python-env.js';

const modulePath = (path: string) => fileURLToPath(new URL(`../../node_modules/${path}`, import.meta.url));
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/servers/${path}`, import.meta.url));

/** The stdio servers the tests front, as a servers file names them (each run by this Node or the tests' Python). */
export const STDIO_SERVERS = {
  /** `@modelcontextprotocol/server-memory` (npm): a knowledge graph kept in a file (`memoryFile`). */
  memory: (memoryFile: string) => ({
    stdio: { command: process.execPath, args: [modulePath('@modelcontextprotocol/server-memory/dist/index.js')], env: { MEMORY_FILE_PATH: memoryFile } },
  }),
  /** `@modelcontextprotocol/server-everything` (npm): tools, resources, prompts of every kind. */
  everything: () => ({ stdio: { command: process.execPath, args: [modulePath('@modelcontextprotocol/server-everything/dist/index.js'), 'stdio'] } }),
  /** A server written with the official Python SDK's `MCPServer` (`__tests__/fixtures/servers/python_server.py`). */
  python: () => ({ stdio: { command: testPython(), args: [fixture('python_server.py')] } }),
  /** The server that misbehaves on request (`__tests__/fixtures/servers/misbehaving-server.mjs`). */
  misbehaving: (...flags: string[]) => ({ stdio: { command: process.execPath, args: [fixture('misbehaving-server.mjs'), ...flags] } }),
} as const;

/** A servers file in a scratch folder, and that folder for whatever else a test keeps there. */
export interface ServersFile {
  readonly file: string;
  readonly folder: string;
  /** Removes the folder. */
  readonly remove: () => void;
}

/** Writes `{"servers": servers}` to a servers file in a new scratch folder. */
export function writeServersFile(servers: Record<string, unknown> | ((folder: string) => Record<string, unknown>)): ServersFile {
  const folder = mkdtempSync(join(tmpdir(), 'mcp-servers-'));
  const file = join(folder, 'servers.json');
  writeFileSync(file, JSON.stringify({ servers: typeof servers === 'function' ? servers(folder) : servers }));
  return { file, folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}
