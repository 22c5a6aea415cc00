import type { EnvironmentConfig } from './config.js';

/** A secret the app reads from its platform's secret store. */
export interface BridgeSecret {
  /** Short name, part of the secret's id in Secret Manager / Secrets Manager. */
  readonly name: string;
  /** The environment variable the value reaches the app as (Cloud Run) or that names it (Lambda: `<envVar>_SECRET_ARN`). */
  readonly envVar: string;
}

/**
 * Every secret the app can read. Bootstrap creates their containers on both clouds whatever the
 * auth mode, so that switching modes never deletes a stored value; the serving stacks read the
 * ones the mode needs.
 */
export const BRIDGE_SECRETS: readonly BridgeSecret[] = [{ name: 'token-sha256', envVar: 'MCP_TOKEN_SHA256' }];

/** A secret's id in Secret Manager: `<service>-<secret>`. */
export function googleSecretId(service: string, secret: BridgeSecret): string {
  return `${service}-${secret.name}`;
}

/** A secret's name in Secrets Manager: `<service>/<secret>`. */
export function awsSecretName(service: string, secret: BridgeSecret): string {
  return `${service}/${secret.name}`;
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
    secrets: auth.mode === 'token' ? BRIDGE_SECRETS.filter((secret) => secret.envVar === 'MCP_TOKEN_SHA256') : [],
  };
}
