import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';
import { withSecrets } from './lambda-secrets.js';
import { createApp } from './create-app.js';
import { readSettings } from './environment.js';
import { HealthReporter } from './runtime.js';

/** The default tools' `tools/list` result as JSON: scripts/build.ts renders it into the bundle (esbuild `define`). */
declare const MCP_TOOLS_LIST_JSON: string;

const settings = readSettings(await withSecrets(process.env), 'lambda');

/** The same app as on Cloud Run, with the AWS request id as the log's request id. */
const app = createApp({
  ...settings.app,
  health: new HealthReporter(settings.runtime),
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
