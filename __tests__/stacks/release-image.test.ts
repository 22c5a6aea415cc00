// The release image's Dockerfile, generated from an environment's servers: each server's install
// step and runtime, read from the generated text for the example config and for every packaging kind.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkServerList } from '../../app/servers/server-list.js';
import { parseEnvironments } from '../../stacks/config.js';
import { deployedServerList, LAMBDA_IMAGE_CONFIG, releaseContextPaths, releaseDockerfile } from '../../stacks/image/release-image.js';

const example = parseEnvironments(JSON.parse(readFileSync('stacks/examples/own-servers.json', 'utf8')))[0]!;

/** The Dockerfile's stages, by name, each as its lines. */
function stages(dockerfile: string): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  let current = '';
  for (const line of dockerfile.split('\n')) {
    const from = /^FROM (\S+) AS (\S+)$/.exec(line);
    if (from) result[(current = from[2]!)] = [line];
    else if (current !== '') result[current]!.push(line);
  }
  return result;
}

describe('releaseDockerfile', () => {
  it('installs the example npm server in the Node stage and its Python server in the Python release stage', () => {
    const { build, 'node-servers': nodeServers, release } = stages(releaseDockerfile(example.name, example.servers!));
    expect(build![0]).toBe('FROM node:22-bookworm-slim AS build');
    expect(build).toContain('RUN npm ci --no-audit --no-fund --ignore-scripts');
    expect(nodeServers).toContain('RUN npm install --prefix /opt/mcp-servers/memory --omit=dev --no-audit --no-fund @modelcontextprotocol/server-memory@2026.8.31');
    expect(nodeServers).toContain("RUN PATH=/opt/mcp-servers/memory/node_modules/.bin:$PATH command -v mcp-server-memory >/dev/null || { echo 'servers.memory.stdio.command: mcp-server-memory is not provided by @modelcontextprotocol/server-memory' >&2; exit 1; }");
    expect(release![0]).toBe('FROM python:3.12-slim-bookworm AS release');
    expect(release).toContain('COPY --from=node:22-bookworm-slim /usr/local/bin/node /usr/local/bin/node');
    expect(release).toContain('COPY stacks/examples/servers/notes /app/stacks/examples/servers/notes');
    expect(release).toContain('RUN python -m venv /opt/mcp-servers/notes/venv');
    expect(release).toContain('COPY --from=build /var/task /var/task');
    expect(release!.at(-2)).toBe('CMD ["node", "/app/node.mjs"]');
    expect(releaseContextPaths(example.servers!)).toEqual(['package.json', 'package-lock.json', 'tsconfig.json', 'app', 'scripts', 'stacks/examples/servers/notes']);
  });

  it('installs a PyPI package from its lock with hashes required, and a Node folder with its own install step', () => {
    const { list } = checkServerList({
      servers: {
        weather: { stdio: { command: 'mcp-weather', package: { pypi: 'mcp-weather', version: '1.4.0', lock: 'locks/weather.txt' }, runtime: 'python3.13' } },
        local: { stdio: { command: 'node', args: ['servers/local/index.js'], package: { folder: 'servers/local', install: 'npm ci --omit=dev' }, runtime: 'node22' } },
      },
    });
    const { 'node-servers': nodeServers, release } = stages(releaseDockerfile('staging', list));
    expect(nodeServers).toEqual(expect.arrayContaining(['COPY servers/local /app/servers/local', 'RUN cd /app/servers/local && npm ci --omit=dev']));
    expect(release![0]).toBe('FROM python:3.13-slim-bookworm AS release');
    expect(release).toEqual(
      expect.arrayContaining([
        'COPY locks/weather.txt /tmp/locks/weather.txt',
        '    && /opt/mcp-servers/weather/venv/bin/pip install --no-cache-dir --no-deps --require-hashes -r /tmp/locks/weather.txt',
        "RUN PATH=/opt/mcp-servers/weather/venv/bin:$PATH command -v mcp-weather >/dev/null || { echo 'servers.weather.stdio.command: mcp-weather is not provided by mcp-weather' >&2; exit 1; }",
        'COPY --from=node-servers /app/servers/local /app/servers/local',
      ]),
    );
  });

  it('runs Node alone when no server needs Python', () => {
    const { list } = checkServerList({ servers: { memory: { stdio: { command: 'mcp-server-memory', package: { npm: 'x', version: '1.0.0' }, runtime: 'node22' } } } });
    expect(stages(releaseDockerfile('staging', list)).release![0]).toBe('FROM node:22-bookworm-slim AS release');
  });
});

describe('deployedServerList', () => {
  it("starts each packaged server's PATH with its own executables and leaves the packaging out", () => {
    const deployed = Object.fromEntries(deployedServerList(example.servers!).map(({ name, server }) => [name, server]));
    expect(deployed.tools).toEqual({ builtin: {} });
    expect(deployed.memory).toEqual({ stdio: expect.objectContaining({ command: 'mcp-server-memory', env: { PATH: '/opt/mcp-servers/memory/node_modules/.bin:/usr/local/bin:/usr/bin:/bin', MEMORY_FILE_PATH: '/tmp/memory.jsonl' } }) });
    expect(deployed.notes).toEqual({ stdio: expect.objectContaining({ env: { PATH: '/opt/mcp-servers/notes/venv/bin:/usr/local/bin:/usr/bin:/bin', NOTES_API_KEY: { secret: 'NOTES_API_KEY' } } }) });
    expect(JSON.stringify(deployed)).not.toMatch(/"package"|"runtime"/);
  });

  it('is what the Lambda image runs through the runtime interface client, from the folder Cloud Run runs in', () => {
    expect(LAMBDA_IMAGE_CONFIG).toEqual({ entryPoint: ['node', '/var/task/node_modules/aws-lambda-ric/index.mjs'], command: ['index.handler'], workingDirectory: '/app' });
  });
});
