import * as z from 'zod/mini';
import { describe, toolSchema } from './schema.js';
import type { ToolDefinition } from './tool.js';

const healthInput = toolSchema({});

const healthOutput = toolSchema({
  status: z.literal('ok').check(describe('Always "ok" when the server can answer')),
  version: z.string().check(describe('The running version of the bridge')),
  platform: z.enum(['cloud-run', 'lambda', 'local']).check(describe('Which platform answered')),
  region: z.string().check(describe('The cloud region that answered, or "local"')),
  coldStart: z.boolean().check(describe('True when this call woke up a new instance')),
  uptimeSeconds: z.int().check(z.minimum(0), describe('Seconds since this instance started')),
});

/** `health_check()`: the same facts as `GET /health`, through MCP. */
export const healthCheckTool: ToolDefinition<typeof healthInput, typeof healthOutput> = {
  name: 'health_check',
  title: 'Health check',
  description:
    'Reports whether the MCP bridge is healthy, with its version, the platform and region that answered, whether this was a cold start, and uptime.',
  inputSchema: healthInput,
  outputSchema: healthOutput,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: (_input, { health }) => health.report(),
};
