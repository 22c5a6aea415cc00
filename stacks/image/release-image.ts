import type { ServerList, ServerPackage, ServerRuntime, StdioServer } from '../../app/servers/server-list.js';
import { packagedServers, runtimeFamily } from '../server-packaging.js';

/** Where the release image installs each server: `/opt/mcp-servers/<server>`. */
export const SERVERS_ROOT = '/opt/mcp-servers';

/** Where the image keeps the bridge's Node entry (Cloud Run's command) and the repository's folders of servers. */
export const APP_ROOT = '/app';

/**
 * Where the image keeps the Lambda entry with its production dependencies (the runtime interface
 * client among them): `/var/task`, the task root Lambda reports to a container image.
 */
export const LAMBDA_TASK_ROOT = '/var/task';

/**
 * How the Lambda runs the release image: the AWS runtime interface client (`aws-lambda-ric`, from
 * package-lock.json) loading the bridge's own Lambda handler, the same handler the zip runs; Cloud
 * Run runs the image's own command (the Node entry).
 */
export const LAMBDA_IMAGE_CONFIG = {
  entryPoint: ['node', `${LAMBDA_TASK_ROOT}/node_modules/aws-lambda-ric/index.mjs`],
  command: ['index.handler'],
  workingDirectory: APP_ROOT,
} as const;

/** The Node base image of every stage (Cloud Run and the Lambda both run linux/amd64: see the deploy's build). */
const NODE_IMAGE = 'node:22-bookworm-slim';

type PackagedServer = ReturnType<typeof packagedServers>[number];

/** The folder a server's executables are in, which its `PATH` starts with. */
export function serverBinDirectory(name: string, stdio: { readonly package: ServerPackage; readonly runtime: ServerRuntime }): string {
  if (runtimeFamily(stdio.runtime) === 'python') return `${SERVERS_ROOT}/${name}/venv/bin`;
  if ('folder' in stdio.package) return `${APP_ROOT}/${stdio.package.folder}/node_modules/.bin`;
  return `${SERVERS_ROOT}/${name}/node_modules/.bin`;
}

/**
 * The server list as the deployed bridge reads it (`MCP_SERVERS`): each packaged stdio server's
 * `PATH` starts with its own executables (unless its config sets `PATH`), so two servers' programs
 * never shadow each other; the packaging itself stays out (the bridge does not read it).
 */
export function deployedServerList(list: ServerList): ServerList {
  return list.map(({ name, server }) => {
    if (!('stdio' in server) || server.stdio.package === undefined || server.stdio.runtime === undefined) return { name, server };
    const { package: packaging, runtime, ...stdio } = server.stdio;
    const path = `${serverBinDirectory(name, { package: packaging, runtime })}:/usr/local/bin:/usr/bin:/bin`;
    return { name, server: { ...server, stdio: { ...stdio, env: { PATH: path, ...stdio.env } } as StdioServer } };
  });
}

/** A shell check that fails the build naming the config field when the packaging does not provide the command. */
function commandCheck({ name, stdio }: PackagedServer): string {
  const field = `servers.${name}.stdio.command`;
  const provider = 'npm' in stdio.package ? stdio.package.npm : 'pypi' in stdio.package ? stdio.package.pypi : stdio.package.folder;
  const check = stdio.command.includes('/') ? `test -e ${APP_ROOT}/${stdio.command}` : `PATH=${serverBinDirectory(name, stdio)}:$PATH command -v ${stdio.command} >/dev/null`;
  return `${check} || { echo '${field}: ${stdio.command} is not provided by ${provider}' >&2; exit 1; }`;
}

/** The Node stage's steps for one server: an npm package, or a folder on Node with its install step. */
function nodeServerSteps(server: PackagedServer): string[] {
  const { name, stdio } = server;
  if ('npm' in stdio.package) {
    return [`RUN npm install --prefix ${SERVERS_ROOT}/${name} --omit=dev --no-audit --no-fund ${stdio.package.npm}@${stdio.package.version}`, `RUN ${commandCheck(server)}`];
  }
  if ('folder' in stdio.package) {
    const folder = `${APP_ROOT}/${stdio.package.folder}`;
    return [`COPY ${stdio.package.folder} ${folder}`, ...(stdio.package.install === undefined ? [] : [`RUN cd ${folder} && ${stdio.package.install}`]), `RUN ${commandCheck(server)}`];
  }
  return [];
}

/** The release stage's steps for one Python server: a virtual environment of its own, from its hashed lock or its folder's install step. */
function pythonServerSteps(server: PackagedServer): string[] {
  const { name, stdio } = server;
  const venv = `${SERVERS_ROOT}/${name}/venv`;
  if ('pypi' in stdio.package) {
    return [
      `COPY ${stdio.package.lock} /tmp/locks/${name}.txt`,
      `RUN python -m venv ${venv} \\`,
      `    && ${venv}/bin/pip install --no-cache-dir --no-deps --require-hashes -r /tmp/locks/${name}.txt`,
      `RUN ${commandCheck(server)}`,
    ];
  }
  if ('folder' in stdio.package) {
    const folder = `${APP_ROOT}/${stdio.package.folder}`;
    return [
      `COPY ${stdio.package.folder} ${folder}`,
      `RUN python -m venv ${venv}${stdio.package.install === undefined ? '' : ` \\\n    && cd ${folder} && PATH=${venv}/bin:$PATH ${stdio.package.install}`}`,
      `RUN ${commandCheck(server)}`,
    ];
  }
  return [];
}

/** The repository's paths the release image copies (its build context): the bridge's sources, and each server's folder and lock. */
export function releaseContextPaths(list: ServerList): string[] {
  const own = packagedServers(list).flatMap(({ stdio }) => ('folder' in stdio.package ? [stdio.package.folder] : 'pypi' in stdio.package ? [stdio.package.lock] : []));
  return ['package.json', 'package-lock.json', 'tsconfig.json', 'app', 'scripts', ...own];
}

/**
 * The Dockerfile of an environment's release image: the bridge (its Node entry for Cloud Run, its
 * Lambda entry with the runtime interface client for the Lambda) and every stdio server the config
 * packages, each with its runtime: npm packages and Node folders installed in a Node stage, Python
 * ones in virtual environments of the release stage itself (a virtual environment is tied to its
 * path). With a Python server, the release stage is Python's image with Node's binary copied in.
 * A build fails naming the config field when a server's command is not what its packaging installs.
 */
export function releaseDockerfile(environment: string, list: ServerList): string {
  const servers = packagedServers(list);
  const python = servers.find(({ stdio }) => runtimeFamily(stdio.runtime) === 'python')?.stdio.runtime;
  const nodeServers = servers.filter(({ stdio }) => runtimeFamily(stdio.runtime) === 'node');
  const pythonServers = servers.filter(({ stdio }) => runtimeFamily(stdio.runtime) === 'python');
  const lines = [
    '# syntax=docker/dockerfile:1.7',
    `# The release image of ${environment}, written by stacks/image/release-image.ts from its config: do not edit.`,
    `# One image for both clouds: Cloud Run runs its command (the Node entry), the Lambda its runtime interface client.`,
    '',
    '# --- build: the bridge bundles, and the Lambda entry\'s production dependencies (aws-lambda-ric among them) ---',
    `FROM ${NODE_IMAGE} AS build`,
    'WORKDIR /src',
    'COPY package.json package-lock.json ./',
    // Scripts stay off: aws-lambda-ric ships its native client prebuilt for x86_64, which its install script would rebuild from source.
    'RUN npm ci --no-audit --no-fund --ignore-scripts',
    'COPY tsconfig.json ./',
    'COPY app ./app',
    'COPY scripts ./scripts',
    'RUN npm run build \\',
    `    && mkdir -p ${LAMBDA_TASK_ROOT} && cp -r dist/lambda/. package.json package-lock.json ${LAMBDA_TASK_ROOT}/ \\`,
    `    && cd ${LAMBDA_TASK_ROOT} && npm ci --omit=dev --omit=optional --no-audit --no-fund --ignore-scripts`,
    '',
    '# --- node-servers: npm packages and Node folders, at the paths they run from ---',
    `FROM ${NODE_IMAGE} AS node-servers`,
    `RUN mkdir -p ${SERVERS_ROOT}`,
    ...nodeServers.flatMap((server) => [`# ${server.name}`, ...nodeServerSteps(server)]),
    '',
    `# --- release: ${python === undefined ? 'Node 22' : `${python} with Node 22`}, every server, the bridge ---`,
    ...(python === undefined
      ? [`FROM ${NODE_IMAGE} AS release`]
      : [
          `FROM python:${python.slice('python'.length)}-slim-bookworm AS release`,
          'RUN apt-get update && apt-get install -y --no-install-recommends libstdc++6 && rm -rf /var/lib/apt/lists/*',
          `COPY --from=${NODE_IMAGE} /usr/local/bin/node /usr/local/bin/node`,
        ]),
    ...pythonServers.flatMap((server) => [`# ${server.name}`, ...pythonServerSteps(server)]),
    `COPY --from=node-servers ${SERVERS_ROOT} ${SERVERS_ROOT}`,
    ...nodeServers.filter(({ stdio }) => 'folder' in stdio.package).map(({ stdio }) => `COPY --from=node-servers ${APP_ROOT}/${(stdio.package as { folder: string }).folder} ${APP_ROOT}/${(stdio.package as { folder: string }).folder}`),
    `COPY --from=build /src/dist/node.mjs /src/dist/node.mjs.map ${APP_ROOT}/`,
    `COPY --from=build ${LAMBDA_TASK_ROOT} ${LAMBDA_TASK_ROOT}`,
    `WORKDIR ${APP_ROOT}`,
    'ENV NODE_ENV=production \\',
    '    PORT=8080 \\',
    `    LAMBDA_TASK_ROOT=${LAMBDA_TASK_ROOT}`,
    // Not root on Cloud Run (the Lambda picks its own user); the servers write only where their config points (/tmp on Lambda).
    'USER 65532:65532',
    'EXPOSE 8080',
    `CMD ["node", "${APP_ROOT}/node.mjs"]`,
    '',
  ];
  return lines.join('\n');
}
