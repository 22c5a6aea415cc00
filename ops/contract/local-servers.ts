// An environment's servers as `npm run contract` starts them: as the release image would (each
// packaged stdio server's executables first on its PATH, from the package at its pinned version),
// on this machine. Packages are installed once into a cache and reused.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { IMPLICIT_BUILTIN_SERVER } from '../../app/auth/access-rules.js';
import type { ServerList, StdioServer } from '../../app/servers/server-list.js';
import type { EnvironmentConfig } from '../../stacks/config.js';
import { packagedServers, runtimeFamily, serverSecrets, type PackagedStdioServer } from '../../stacks/server-packaging.js';
import { runChecked, type CommandRunner } from '../clouds/command.js';

/** What a secret named by reference is, when the operator's environment does not hold it: listing tools needs no real key. */
export const PLACEHOLDER_SECRET = 'contract-snapshot-placeholder';

/** Where `npm run contract` keeps the packages it installed (ignored by git, reused across runs). */
export const CONTRACT_CACHE_DIRECTORY = join('node_modules', '.cache', 'mcp-contract');

/** Options of {@link localServers}. */
export interface LocalServersOptions {
  /** The repository root: relative paths of the config are its. */
  readonly root: string;
  /** Where packages are installed (see {@link CONTRACT_CACHE_DIRECTORY}). */
  readonly cacheDirectory: string;
  /** Runs npm, python3 and the folders' install commands. */
  readonly runner: CommandRunner;
  /** This process's environment: its PATH, and secrets by reference where it has them. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Progress lines (what is installed). */
  readonly progress: (line: string) => void;
}

/** The list to start, and the environment its secrets are read from. */
export interface LocalServers {
  readonly list: ServerList;
  readonly environment: Readonly<Record<string, string | undefined>>;
}

/** A short, stable name for a cache entry. */
function cacheKey(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}

/** The version of an npm package installed under `folder`'s node_modules, if any. */
function installedVersion(folder: string, name: string): string | undefined {
  const manifest = join(folder, 'node_modules', name, 'package.json');
  return existsSync(manifest) ? (JSON.parse(readFileSync(manifest, 'utf8')) as { version?: string }).version : undefined;
}

/** Prepares one packaged stdio server: the folder its executables are in, and the working directory it runs in. */
async function prepared(name: string, stdio: PackagedStdioServer, options: LocalServersOptions): Promise<{ bin?: string; cwd?: string }> {
  const { runner, root, cacheDirectory, progress } = options;
  const packaging = stdio.package;
  if ('npm' in packaging) {
    // The repository's own node_modules when it holds that exact version, else the cache.
    if (installedVersion(root, packaging.npm) === packaging.version) return { bin: join(root, 'node_modules', '.bin') };
    const prefix = join(cacheDirectory, 'npm', cacheKey(packaging.npm, packaging.version));
    if (installedVersion(prefix, packaging.npm) !== packaging.version) {
      progress(`contract: ${name}: npm install ${packaging.npm}@${packaging.version} (into ${prefix}, once)`);
      mkdirSync(prefix, { recursive: true });
      await runChecked(runner, 'npm', ['install', '--prefix', prefix, '--omit=dev', '--no-audit', '--no-fund', `${packaging.npm}@${packaging.version}`]);
    }
    return { bin: join(prefix, 'node_modules', '.bin') };
  }
  if ('pypi' in packaging) {
    const lock = resolve(root, packaging.lock);
    const venv = join(cacheDirectory, 'pypi', cacheKey(name, readFileSync(lock, 'utf8')));
    if (!existsSync(join(venv, 'bin', 'python'))) {
      progress(`contract: ${name}: python3 -m venv and pip install --require-hashes -r ${packaging.lock} (into ${venv}, once)`);
      await runChecked(runner, 'python3', ['-m', 'venv', venv]);
      await runChecked(runner, join(venv, 'bin', 'pip'), ['install', '--no-deps', '--require-hashes', '-r', lock]);
    }
    return { bin: join(venv, 'bin') };
  }
  // A folder of the repository: as it is, or (with an install step) a copy installed as the image installs it.
  if (packaging.install === undefined) return runtimeFamily(stdio.runtime) === 'node' ? { bin: join(root, packaging.folder, 'node_modules', '.bin') } : {};
  const app = join(cacheDirectory, 'folders', cacheKey(name, packaging.folder));
  progress(`contract: ${name}: ${packaging.install} (in a copy of ${packaging.folder})`);
  cpSync(resolve(root, packaging.folder), join(app, packaging.folder), { recursive: true });
  const folder = join(app, packaging.folder);
  if (runtimeFamily(stdio.runtime) === 'python') {
    const venv = join(app, 'venv');
    if (!existsSync(join(venv, 'bin', 'python'))) await runChecked(runner, 'python3', ['-m', 'venv', venv]);
    await runChecked(runner, 'sh', ['-c', packaging.install], { cwd: folder, env: { PATH: `${join(venv, 'bin')}${delimiter}${options.environment.PATH ?? ''}` } });
    return { bin: join(venv, 'bin'), cwd: app };
  }
  await runChecked(runner, 'sh', ['-c', packaging.install], { cwd: folder });
  return { bin: join(folder, 'node_modules', '.bin'), cwd: app };
}

/**
 * An environment's servers ready to start here: no list means the built-in tools alone (as the
 * bridge serves them); each packaged stdio server gets its package's executables first on its PATH
 * and runs from the repository root (the image's `/app`); a secret the operator's environment does
 * not hold is {@link PLACEHOLDER_SECRET}. HTTP servers are reached at their URL as configured.
 */
export async function localServers(env: EnvironmentConfig, options: LocalServersOptions): Promise<LocalServers> {
  const list: ServerList = env.servers ?? [{ name: IMPLICIT_BUILTIN_SERVER, server: { builtin: {} } }];
  const packaged = new Map(packagedServers(list).map(({ name, stdio }) => [name, stdio]));
  const secrets = Object.fromEntries(serverSecrets(list).map(({ name }) => [name, options.environment[name] ?? PLACEHOLDER_SECRET]));
  const ready: Array<ServerList[number]> = [];
  for (const { name, server } of list) {
    const stdio = packaged.get(name);
    if (!('stdio' in server) || stdio === undefined) {
      ready.push({ name, server });
      continue;
    }
    const { bin, cwd } = await prepared(name, stdio, options);
    const { package: _package, runtime: _runtime, ...rest } = server.stdio;
    const path = [bin, options.environment.PATH].filter((part) => part !== undefined && part !== '').join(delimiter);
    const local: StdioServer = { ...rest, env: { PATH: path, ...rest.env }, cwd: resolve(cwd ?? options.root, rest.cwd ?? '.') };
    ready.push({ name, server: { ...server, stdio: local } });
  }
  return { list: ready, environment: { ...options.environment, ...secrets } };
}
