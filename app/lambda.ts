import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { withSecrets } from './lambda-secrets.js';
import { createApp, SERVER_NAME } from './create-app.js';
import { readSettings } from './environment.js';
import { HealthReporter } from './runtime.js';
import type { ServerSet } from './servers/server-set.js';

/** The default tools' `tools/list` result as JSON: scripts/build.ts renders it into the bundle (esbuild `define`). */
declare const MCP_TOOLS_LIST_JSON: string;

const environment = await withSecrets(process.env);
const settings = readSettings(environment, 'lambda');
const health = new HealthReporter(settings.runtime);

/**
 * The configured servers, started at init and kept warm across the invocations of this execution
 * environment (its children are frozen with it between invocations). Loaded only when configured.
 */
let servers: ServerSet | undefined;
if (settings.serverList !== undefined) {
  const { startConfiguredServers } = await import('./servers/configured-servers.js');
  servers = await startConfiguredServers({
    source: settings.serverList,
    settings,
    identity: { name: SERVER_NAME, version: settings.runtime.version },
    health,
    environment,
    log: (line) => process.stdout.write(`${line}\n`),
  });
}

/** The same app as on Cloud Run, with the AWS request id as the log's request id. */
const app = createApp({
  ...settings.app,
  health,
  ...(servers === undefined ? {} : { servers }),
  clientAddressOf: (c) => sourceIp(c.env as LambdaEnv) ?? 'unknown',
  requestIdOf: (_headers, env) => (env as LambdaEnv | undefined)?.lambdaContext?.awsRequestId,
  // Run from source (the tests), nothing has rendered it: the app renders it at start-up.
  ...(typeof MCP_TOOLS_LIST_JSON === 'string' ? { toolsListJson: MCP_TOOLS_LIST_JSON } : {}),
});

/** What `hono/aws-lambda` puts in `c.env`. */
interface LambdaEnv {
  readonly event?: LambdaEvent;
  readonly lambdaContext?: LambdaContext;
}

/** The caller's address as API Gateway saw it (payload 2.0 / Function URL, or 1.0). */
function sourceIp(env: LambdaEnv): string | undefined {
  const context = (env.event as { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } } | undefined)
    ?.requestContext;
  return context?.http?.sourceIp ?? context?.identity?.sourceIp;
}

/**
 * The Lambda entry: API Gateway REST (payload 1.0), HTTP API (payload 2.0) and
 * Function URL events, all served by the same Hono app.
 */
export const handler = handle(app);
