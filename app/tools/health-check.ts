import { z } from 'zod';
import type { ToolDefinition } from './tool.js';

const healthOutput = z.object({
  status: z.literal('ok').describe('Always "ok" when the server can answer'),
  version: z.string().describe('The running version of the bridge'),
  platform: z.enum(['cloud-run', 'lambda', 'local']).describe('Which platform answered'),
  region: z.string().describe('The cloud region that answered, or "local"'),
  coldStart: z.boolean().describe('True when this call woke up a new instance'),
  uptimeSeconds: z.number().int().nonnegative().describe('Seconds since this instance started'),
});

/** `health_check()`: the same facts as `GET /health`, through MCP. */
export const healthCheckTool: ToolDefinition<z.ZodObject<{}>, typeof healthOutput> = {
  name: 'health_check',
  title: 'Health check',
  description:
    'Reports whether the MCP bridge is healthy, with its version, the platform and region that answered, whether this was a cold start, and uptime.',
  inputSchema: z.object({}),
  outputSchema: healthOutput,
  annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
  run: (_input, { health }) => health.report(),
};
