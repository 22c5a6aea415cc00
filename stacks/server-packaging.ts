import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, normalize, resolve } from 'node:path';
import type { ConfiguredValue, ServerList, ServerPackage, ServerRuntime, StdioServer } from '../app/servers/server-list.js';

/** An exact npm version (semver, no range, no tag). */
const NPM_EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** An exact PEP 440 release (`1.2`, `1.2.3rc1`, `2.0.post1`): no specifier, no wildcard. */
const PYPI_EXACT_VERSION = /^\d+(\.\d+)*((a|b|rc)\d+)?(\.post\d+)?(\.dev\d+)?$/;

/** Programs that fetch a package when they run: in the image, the package is installed at build time instead. */
const PACKAGE_RUNNERS = new Set(['npx', 'pnpx', 'bunx', 'uvx', 'pipx', 'npm', 'pnpm', 'yarn', 'uv', 'pip', 'pip3']);

/** The interpreters of each runtime, as a command names them. */
const INTERPRETERS: Record<'node' | 'python', readonly string[]> = { node: ['node'], python: ['python', 'python3'] };

/**
 * Names the platforms or the bridge set themselves: a secret's variable must not take one of them
 * (Cloud Run refuses some, Lambda others, and the bridge's own settings start with MCP_).
 */
const RESERVED_VARIABLE = /^(MCP_|AWS_|LAMBDA_|K_|CLOUD_RUN_|X_GOOGLE_|_)|^(PORT|PATH|HOME|TZ|NODE_OPTIONS|LANG)$/;

/** A runtime's family: which interpreter and which package manager. */
export function runtimeFamily(runtime: ServerRuntime): 'node' | 'python' {
  return runtime.startsWith('python') ? 'python' : 'node';
}

/** A secret a server's config names: its environment variable in the bridge, and the server that asks for it. */
export interface ServerSecret {
  /** The server whose `env` (or `headers`) names it. */
  readonly server: string;
  /** Its name (`{"secret": "<name>"}`): the bridge's environment variable the value reaches the server through. */
  readonly name: string;
}

/** Every secret the servers name, once each, in the list's order (a secret belongs to one server: see {@link packagingProblems}). */
export function serverSecrets(list: ServerList): ServerSecret[] {
  const secrets = new Map<string, ServerSecret>();
  for (const { name: server, server: entry } of list) {
    for (const value of Object.values(configuredValuesOf(entry))) {
      if (typeof value !== 'string' && !secrets.has(value.secret)) secrets.set(value.secret, { server, name: value.secret });
    }
  }
  return [...secrets.values()];
}

function configuredValuesOf(entry: ServerList[number]['server']): Readonly<Record<string, ConfiguredValue>> {
  if ('stdio' in entry) return entry.stdio.env;
  if ('http' in entry) return entry.http.headers;
  return {};
}

/** Whether an environment's servers need the release image (a stdio server's program and runtime) rather than the bridge alone. */
export function needsReleaseImage(list: ServerList | undefined): boolean {
  return (list ?? []).some(({ server }) => 'stdio' in server);
}

/** A stdio server that says what the image installs for it and on which runtime. */
export type PackagedStdioServer = StdioServer & { readonly package: ServerPackage; readonly runtime: ServerRuntime };

/** The deployed stdio servers with their packaging, in the list's order (after {@link packagingProblems} found none). */
export function packagedServers(list: ServerList | undefined): Array<{ name: string; stdio: PackagedStdioServer }> {
  return (list ?? []).flatMap(({ name, server }) =>
    'stdio' in server && server.stdio.package !== undefined && server.stdio.runtime !== undefined ? [{ name, stdio: server.stdio as PackagedStdioServer }] : [],
  );
}

/** The normalized name PyPI compares by (PEP 503). */
function normalizedPypiName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/** A path of the repository, relative and inside it; `undefined` when it is. */
function repositoryPathProblem(path: string, root: string, kind: 'file' | 'folder'): string | undefined {
  if (isAbsolute(path) || normalize(path).startsWith('..')) return `must be a path inside the repository, relative to its root (got ${JSON.stringify(path)})`;
  const full = resolve(root, path);
  if (!existsSync(full)) return `${JSON.stringify(path)} does not exist (paths are relative to the repository root)`;
  const isFolder = statSync(full).isDirectory();
  if (kind === 'folder' && !isFolder) return `${JSON.stringify(path)} is a file, not a folder`;
  if (kind === 'file' && isFolder) return `${JSON.stringify(path)} is a folder, not a file`;
  return undefined;
}

/** A lock file's problems: every requirement pinned with `==` and hashed, and the package itself at its version. */
function lockProblems(file: string, pypi: string, version: string): string[] {
  const requirements = readFileSync(file, 'utf8')
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('--'));
  const problems: string[] = [];
  const pinned = new Map<string, string>();
  for (const requirement of requirements) {
    const match = /^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)/.exec(requirement);
    const name = requirement.split(/[\s=<>!~;[]/)[0];
    if (match === null) problems.push(`${name}: pin it with == (pip --require-hashes installs nothing else)`);
    else pinned.set(normalizedPypiName(match[1]!), match[3]!);
    if (!/--hash=sha256:[a-f0-9]{64}/.test(requirement)) problems.push(`${name}: give its --hash=sha256:… (pip-compile --generate-hashes, or uv pip compile --generate-hashes, writes them)`);
  }
  const locked = pinned.get(normalizedPypiName(pypi));
  if (locked === undefined) problems.push(`does not list ${pypi} itself`);
  else if (locked !== version) problems.push(`pins ${pypi}==${locked}, not the configured version ${version}`);
  return problems;
}

/** Whether a command is something the packaging puts in the image. */
function commandProblem(server: PackagedStdioServer): string | undefined {
  const { command } = server;
  const family = runtimeFamily(server.runtime);
  const other = family === 'node' ? 'python' : 'node';
  if (PACKAGE_RUNNERS.has(command)) return `${command} fetches a package when it runs; the image installs the package at build time, so run its executable (or ${INTERPRETERS[family][0]} with a script)`;
  if (INTERPRETERS[other].includes(command)) return `${command} is not in the ${server.runtime} runtime this server asks for`;
  if (INTERPRETERS[family].includes(command)) return undefined;
  if ('folder' in server.package) {
    const inFolder = !isAbsolute(command) && normalize(command).startsWith(`${normalize(server.package.folder)}/`);
    if (command.includes('/') && !inFolder) return `a path must be inside the server's folder ${server.package.folder}`;
    return undefined;
  }
  if (command.includes('/')) return `the image installs ${'npm' in server.package ? server.package.npm : server.package.pypi} and puts its executables on PATH: name one of them, or ${INTERPRETERS[family][0]}`;
  return undefined;
}

/**
 * What keeps an environment's servers from being deployed, as `<path>: <rule>`: a stdio server
 * needs its packaging (an npm or PyPI package at an exact version, or a folder with its install
 * step) and its runtime, and a command the packaging provides; PyPI packages come with a lock of
 * pinned, hashed requirements; one Python runtime per image; and a secret's name must not be one
 * the platforms or the bridge use. Paths are relative to the repository root, `root`.
 */
export function packagingProblems(list: ServerList, root: string): string[] {
  const problems: string[] = [];
  const pythons = new Set<string>();
  const owners = new Map<string, string>();
  for (const { name, server } of list) {
    for (const [key, value] of Object.entries(configuredValuesOf(server))) {
      if (typeof value === 'string') continue;
      if (RESERVED_VARIABLE.test(value.secret)) {
        problems.push(`servers.${name}.${'stdio' in server ? 'stdio.env' : 'http.headers'}.${key}: the secret name ${value.secret} is one the platforms or the bridge set themselves (MCP_*, AWS_*, LAMBDA_*, K_*, PORT, …): choose another`);
      }
      const owner = owners.get(value.secret);
      if (owner === undefined) owners.set(value.secret, name);
      else if (owner !== name) problems.push(`servers.${name}: the secret ${value.secret} is already ${owner}'s: a secret belongs to one server (npm run secret -- <env> <server> <NAME>), so give this one its own name`);
    }
    if (!('stdio' in server)) continue;
    const path = `servers.${name}.stdio`;
    const { package: packaging, runtime } = server.stdio;
    if (packaging === undefined) problems.push(`${path}.package: a deployed stdio server names what the image installs: {"npm", "version"}, {"pypi", "version", "lock"} or {"folder", "install"}`);
    if (runtime === undefined) problems.push(`${path}.runtime: a deployed stdio server names its runtime: node22, python3.12 or python3.13`);
    if (packaging === undefined || runtime === undefined) continue;
    const family = runtimeFamily(runtime);
    if (family === 'python') pythons.add(runtime);
    if ('npm' in packaging) {
      if (family !== 'node') problems.push(`${path}.runtime: an npm package runs on node22, not ${runtime}`);
      if (!NPM_EXACT_VERSION.test(packaging.version)) problems.push(`${path}.package.version: pin an exact version such as 1.2.3 (got ${JSON.stringify(packaging.version)}: no ranges or tags)`);
    } else if ('pypi' in packaging) {
      if (family !== 'python') problems.push(`${path}.runtime: a PyPI package runs on python3.12 or python3.13, not ${runtime}`);
      if (!PYPI_EXACT_VERSION.test(packaging.version)) problems.push(`${path}.package.version: pin an exact version such as 1.2.3 (got ${JSON.stringify(packaging.version)}: no specifiers or wildcards)`);
      const lockProblem = repositoryPathProblem(packaging.lock, root, 'file');
      if (lockProblem !== undefined) problems.push(`${path}.package.lock: ${lockProblem}`);
      else for (const problem of lockProblems(resolve(root, packaging.lock), packaging.pypi, packaging.version)) problems.push(`${path}.package.lock: ${packaging.lock}: ${problem}`);
    } else {
      const folderProblem = repositoryPathProblem(packaging.folder, root, 'folder');
      if (folderProblem !== undefined) problems.push(`${path}.package.folder: ${folderProblem}`);
    }
    const command = commandProblem({ ...server.stdio, package: packaging, runtime });
    if (command !== undefined) problems.push(`${path}.command: ${command}`);
  }
  if (pythons.size > 1) problems.push(`servers: one Python runtime per image: the servers ask for ${[...pythons].join(' and ')}`);
  return problems;
}
