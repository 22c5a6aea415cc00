import { handle, type LambdaContext } from 'hono/aws-lambda';
import { createApp } from './create-app.js';
import { readSettings } from './environment.js';
import { HealthReporter } from './runtime.js';

const settings = readSettings(process.env, 'lambda');

/** The same app as on Cloud Run, with the AWS request id as the log's request id. */
const app = createApp({
  health: new HealthReporter(settings.runtime),
  allowedHostnames: settings.allowedHostnames,
  maxBodyBytes: settings.maxBodyBytes,
  // Straight to stdout: console.log would prefix each JSON line with a timestamp and level.
  log: (line) => void process.stdout.write(`${line}\n`),
  requestIdOf: (_headers, env) => (env as { lambdaContext?: LambdaContext } | undefined)?.lambdaContext?.awsRequestId,
});

/**
 * The Lambda entry: API Gateway REST (payload 1.0), HTTP API (payload 2.0) and
 * Function URL events, all served by the same Hono app.
 */
export const handler = handle(app);
