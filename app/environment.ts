import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import type { Platform, RuntimeInfo } from './runtime.js';

/** Hostnames accepted on `/mcp` when nothing else is configured: loopback only. */
export const LOCAL_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

const hostnameList = z
  .string()
  .transform((value) => value.split(',').map((host) => host.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z
      .array(z.string().regex(/^(\[[0-9a-f:]+\]|[a-z0-9.-]+)$/, 'each entry must be a bare hostname, without scheme or port'))
      .min(1, 'list at least one hostname'),
  );

/** The environment variables the bridge reads, with their rules. Documented in the README. */
const environmentSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  MCP_ALLOWED_HOSTS: hostnameList.optional(),
  MCP_REGION: z.string().min(1).optional(),
  MCP_VERSION: z.string().min(1).optional(),
  MCP_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
  AWS_REGION: z.string().optional(),
  K_SERVICE: z.string().optional(),
});

/** The bridge's settings, read once from the environment by an entry. */
export interface BridgeSettings {
  readonly port: number;
  readonly allowedHostnames: readonly string[];
  readonly maxBodyBytes: number;
  readonly runtime: RuntimeInfo;
}

/** A bad environment variable: names the variable and the rule it broke. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/**
 * Reads and validates the bridge's environment variables for a platform.
 * Throws {@link EnvironmentError} naming every bad variable.
 */
export function readSettings(env: Record<string, string | undefined>, platform: Platform): BridgeSettings {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new EnvironmentError(`Invalid environment: ${problems.join('; ')}`);
  }
  const vars = parsed.data;
  return {
    port: vars.PORT,
    allowedHostnames: vars.MCP_ALLOWED_HOSTS ?? [...LOCAL_HOSTNAMES],
    maxBodyBytes: vars.MCP_MAX_BODY_BYTES,
    runtime: {
      version: vars.MCP_VERSION ?? pkg.version,
      platform,
      region: vars.MCP_REGION ?? vars.AWS_REGION ?? 'local',
      startedAtMs: Date.now(),
    },
  };
}
