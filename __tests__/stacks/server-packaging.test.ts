// What a deployed stdio server's packaging must say, checked at synth: every rule refused with the
// field it names, against real lock files and folders in a temporary repository root.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkServerList } from '../../app/servers/server-list.js';
import { needsReleaseImage, packagedServers, packagingProblems, serverSecrets } from '../../stacks/server-packaging.js';

const HASH = `--hash=sha256:${'ab'.repeat(32)}`;
let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'packaging-'));
  mkdirSync(join(root, 'servers/notes'), { recursive: true });
  writeFileSync(join(root, 'servers/notes/server.py'), '');
  // Test data: the rule checks the form of each line (pinned, hashed), not the hashes against PyPI.
  writeFileSync(join(root, 'weather.lock'), `# pip-compile --generate-hashes\nmcp-weather==1.4.0 \\\n    ${HASH}\nhttpx==0.28.1 ${HASH}\n`);
  writeFileSync(join(root, 'unhashed.lock'), `mcp-weather==1.4.0\n`);
  writeFileSync(join(root, 'ranged.lock'), `mcp-weather==1.4.0 ${HASH}\nhttpx>=0.27 ${HASH}\n`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const npmServer = { command: 'mcp-server-memory', package: { npm: '@modelcontextprotocol/server-memory', version: '2025.9.25' }, runtime: 'node22' };
const pypiServer = { command: 'mcp-weather', package: { pypi: 'mcp_weather', version: '1.4.0', lock: 'weather.lock' }, runtime: 'python3.12' };
const folderServer = { command: 'python', args: ['servers/notes/server.py'], package: { folder: 'servers/notes', install: 'pip install --require-hashes -r requirements.lock' }, runtime: 'python3.12' };

function problemsOf(servers: Record<string, unknown>): string[] {
  const { list, problems } = checkServerList({ servers });
  expect(problems).toEqual([]);
  return packagingProblems(list, root);
}

describe('packagingProblems', () => {
  it('accepts an npm package, a PyPI package with its hashed lock and a folder, with secrets each of their own', () => {
    const servers = {
      memory: { stdio: { ...npmServer, env: { API_KEY: { secret: 'MEMORY_API_KEY' } } } },
      weather: { stdio: { ...pypiServer, env: { KEY: { secret: 'WEATHER_KEY' }, AGAIN: { secret: 'WEATHER_KEY' } } } },
      notes: { stdio: folderServer },
      search: { http: { url: 'https://search.internal/mcp', headers: { Authorization: { secret: 'SEARCH_TOKEN' } } } },
      tools: { builtin: {} },
    };
    expect(problemsOf(servers)).toEqual([]);
    const { list } = checkServerList({ servers });
    expect(serverSecrets(list)).toEqual([
      { server: 'memory', name: 'MEMORY_API_KEY' },
      { server: 'weather', name: 'WEATHER_KEY' },
      { server: 'search', name: 'SEARCH_TOKEN' },
    ]);
    expect(needsReleaseImage(list)).toBe(true);
    expect(packagedServers(list).map(({ name }) => name)).toEqual(['memory', 'weather', 'notes']);
  });

  it('needs no release image for builtin and http servers', () => {
    const { list } = checkServerList({ servers: { tools: { builtin: {} }, search: { http: { url: 'https://search.internal/mcp' } } } });
    expect(needsReleaseImage(list)).toBe(false);
    expect(needsReleaseImage(undefined)).toBe(false);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['no package', { command: 'x', runtime: 'node22' }, /^servers\.s\.stdio\.package: a deployed stdio server names what the image installs/],
    ['no runtime', { ...npmServer, runtime: undefined }, /^servers\.s\.stdio\.runtime: a deployed stdio server names its runtime: node22, python3\.12 or python3\.13$/],
    ['an npm range', { ...npmServer, package: { npm: 'x', version: '^1.2.0' } }, /^servers\.s\.stdio\.package\.version: pin an exact version such as 1\.2\.3 \(got "\^1\.2\.0": no ranges or tags\)$/],
    ['an npm tag', { ...npmServer, package: { npm: 'x', version: 'latest' } }, /^servers\.s\.stdio\.package\.version: pin an exact version/],
    ['an npm package on Python', { ...npmServer, runtime: 'python3.12' }, /^servers\.s\.stdio\.runtime: an npm package runs on node22, not python3\.12$/],
    ['a PyPI package on Node', { ...pypiServer, runtime: 'node22' }, /^servers\.s\.stdio\.runtime: a PyPI package runs on python3\.12 or python3\.13, not node22$/],
    ['a PyPI specifier', { ...pypiServer, package: { ...pypiServer.package, version: '>=1.4' } }, /^servers\.s\.stdio\.package\.version: pin an exact version such as 1\.2\.3 \(got ">=1\.4": no specifiers or wildcards\)$/],
    ['a missing lock', { ...pypiServer, package: { ...pypiServer.package, lock: 'nowhere.lock' } }, /^servers\.s\.stdio\.package\.lock: "nowhere\.lock" does not exist \(paths are relative to the repository root\)$/],
    ['a lock outside the repository', { ...pypiServer, package: { ...pypiServer.package, lock: '../weather.lock' } }, /^servers\.s\.stdio\.package\.lock: must be a path inside the repository/],
    ['a lock without hashes', { ...pypiServer, package: { ...pypiServer.package, lock: 'unhashed.lock' } }, /^servers\.s\.stdio\.package\.lock: unhashed\.lock: mcp-weather: give its --hash=sha256:…/],
    ['a lock with a range', { ...pypiServer, package: { ...pypiServer.package, lock: 'ranged.lock' } }, /^servers\.s\.stdio\.package\.lock: ranged\.lock: httpx: pin it with ==/],
    ['a lock of another version', { ...pypiServer, package: { ...pypiServer.package, version: '1.5.0' } }, /^servers\.s\.stdio\.package\.lock: weather\.lock: pins mcp_weather==1\.4\.0, not the configured version 1\.5\.0$/],
    ['a lock without the package', { ...pypiServer, package: { ...pypiServer.package, pypi: 'other' } }, /^servers\.s\.stdio\.package\.lock: weather\.lock: does not list other itself$/],
    ['a missing folder', { ...folderServer, package: { folder: 'servers/gone' } }, /^servers\.s\.stdio\.package\.folder: "servers\/gone" does not exist/],
    ['a folder that is a file', { ...folderServer, package: { folder: 'weather.lock' } }, /^servers\.s\.stdio\.package\.folder: "weather\.lock" is a file, not a folder$/],
    ['npx', { ...npmServer, command: 'npx' }, /^servers\.s\.stdio\.command: npx fetches a package when it runs; the image installs the package at build time/],
    ['uvx', { ...pypiServer, command: 'uvx' }, /^servers\.s\.stdio\.command: uvx fetches a package when it runs/],
    ['the other runtime', { ...npmServer, command: 'python3' }, /^servers\.s\.stdio\.command: python3 is not in the node22 runtime this server asks for$/],
    ['a path for a package', { ...npmServer, command: '/usr/bin/mcp-server-memory' }, /^servers\.s\.stdio\.command: the image installs @modelcontextprotocol\/server-memory and puts its executables on PATH/],
    ['a path outside the folder', { ...folderServer, command: 'scripts/run.sh' }, /^servers\.s\.stdio\.command: a path must be inside the server's folder servers\/notes$/],
    ['a reserved secret name', { ...npmServer, env: { KEY: { secret: 'MCP_AUTH_MODE' } } }, /^servers\.s\.stdio\.env\.KEY: the secret name MCP_AUTH_MODE is one the platforms or the bridge set themselves/],
  ])('refuses %s, naming the field', (_name, stdio, message) => {
    const problems = problemsOf({ s: { stdio } });
    expect(problems.some((problem) => message.test(problem)), problems.join('\n')).toBe(true);
  });

  it('refuses one secret in two servers, and two Python runtimes in one image', () => {
    expect(problemsOf({ a: { stdio: { ...npmServer, env: { K: { secret: 'SHARED' } } } }, b: { stdio: { ...npmServer, env: { K: { secret: 'SHARED' } } } } })).toEqual([
      "servers.b: the secret SHARED is already a's: a secret belongs to one server (npm run secret -- <env> <server> <NAME>), so give this one its own name",
    ]);
    expect(problemsOf({ a: { stdio: pypiServer }, b: { stdio: { ...folderServer, runtime: 'python3.13' } } })).toEqual(['servers: one Python runtime per image: the servers ask for python3.12 and python3.13']);
  });

  it('words a packaging of no known kind and an unknown runtime as the bridge reads them', () => {
    const { problems } = checkServerList({ servers: { s: { stdio: { command: 'x', package: { cargo: 'x' }, runtime: 'ruby3' } } } });
    expect(problems).toEqual([
      expect.stringMatching(/^servers\.s\.stdio\.package: one of \{"npm": "<package>", "version": "<exact>"\}/),
      'servers.s.stdio.runtime: one of node22, python3.12, python3.13',
    ]);
  });
});
