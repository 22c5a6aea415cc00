import type { EnvironmentConfig } from './config.js';

/** A secret the app reads from its platform's secret store. */
export interface BridgeSecret {
  /** Short name, part of the secret's id in Secret Manager / Secrets Manager. */
  readonly name: string;
  /** The environment variable the value reaches the app as (Cloud Run) or that names it (Lambda: `<envVar>_SECRET_ARN`). */
  readonly envVar: string;
}

/** What both clouds hand the app: plain variables, and secrets by reference only. */
export interface BridgeEnvironment {
  readonly variables: Readonly<Record<string, string>>;
  readonly secrets: readonly BridgeSecret[];
}

/**
 * The app's configuration for one environment and platform, derived once so that
 * Cloud Run and Lambda get the same settings. Secret values never appear here:
 * only the secret to read them from.
 *
 * @param platform - the region to report (Lambda reports its own `AWS_REGION`)
 */
export function bridgeEnvironment(env: EnvironmentConfig, platform: { region?: string } = {}): BridgeEnvironment {
  const auth = env.auth;
  return {
    variables: {
      MCP_ALLOWED_HOSTS: env.domainName,
      ...(platform.region === undefined ? {} : { MCP_REGION: platform.region }),
      MCP_AUTH_MODE: auth.mode,
      MCP_ENVIRONMENT: env.name,
      ...(auth.mode === 'oauth'
        ? {
            MCP_OAUTH_ISSUER: auth.issuer,
            MCP_OAUTH_AUDIENCE: `https://${env.domainName}/mcp`,
            MCP_OAUTH_REQUIRED_SCOPES: auth.requiredScopes.join(' '),
          }
        : {}),
    },
    secrets: auth.mode === 'token' ? [{ name: 'token-sha256', envVar: 'MCP_TOKEN_SHA256' }] : [],
  };
}
