import { serverListJson } from '../app/servers/server-list.js';
import type { EnvironmentConfig } from './config.js';
import { deployedServerList } from './image/release-image.js';
import { serverSecrets, type ServerSecret } from './server-packaging.js';

/** A secret the app reads from its platform's secret store. */
export interface BridgeSecret {
  /** The environment variable the value reaches the app as (Cloud Run) or that names it (Lambda: `<envVar>_SECRET_ARN`). */
  readonly envVar: string;
  /** Its id in Secret Manager, after `<service>-`. */
  readonly googleName: string;
  /** Its name in Secrets Manager, after `<service>/`. */
  readonly awsName: string;
  /**
   * What earlier releases named it in Secrets Manager: bootstrap forgets those secrets without
   * deleting them, `npm run deploy` (and `npm run token -- <env> sync`) copies their value across,
   * and the deploy schedules their deletion once every Lambda reads the new name.
   */
  readonly formerAwsNames: readonly string[];
  /** The command that sets its value (never Terraform), for its description and for an error when it is missing. */
  readonly setBy: string;
}

/**
 * Every secret the app can read. Bootstrap creates their containers on both clouds whatever the
 * auth mode, so that switching modes never deletes a stored value; the serving stacks read the
 * ones the mode needs.
 *
 * The token digests were `<service>/token-sha256` in Secrets Manager, a name ending in a hyphen and
 * six characters, which AWS advises against: Secrets Manager appends a hyphen and six random
 * characters to every secret's ARN, and a lookup by partial ARN can take the name's own ending for
 * that suffix and match another secret. Secret Manager ids have no such rule, so Google's id stays.
 */
export const BRIDGE_SECRETS: readonly BridgeSecret[] = [{ envVar: 'MCP_TOKEN_SHA256', googleName: 'token-sha256', awsName: 'token-digests', formerAwsNames: ['token-sha256'], setBy: 'npm run deploy / npm run token' }];

/** The secret that holds the accepted bearer tokens' digests (token mode). */
export const TOKEN_DIGESTS_SECRET: BridgeSecret = BRIDGE_SECRETS.find((secret) => secret.envVar === 'MCP_TOKEN_SHA256')!;

/**
 * A server's secret (`{"secret": "<NAME>"}` in its config) as both clouds store it: `<service>-server-<server>-<NAME>`
 * in Secret Manager, `<service>/servers/<server>/<NAME>` in Secrets Manager; the bridge reads it as `NAME`.
 */
export function serverSecret({ server, name }: ServerSecret): BridgeSecret {
  return { envVar: name, googleName: `server-${server}-${name}`, awsName: `servers/${server}/${name}`, formerAwsNames: [], setBy: `npm run secret -- <env> ${server} ${name}` };
}

/** Every secret whose container bootstrap creates for an environment: the bridge's own, then its servers'. */
export function environmentSecrets(env: EnvironmentConfig): BridgeSecret[] {
  return [...BRIDGE_SECRETS, ...serverSecrets(env.servers ?? []).map(serverSecret)];
}

/** A secret's id in Secret Manager: `<service>-<googleName>`. */
export function googleSecretId(service: string, secret: BridgeSecret): string {
  return `${service}-${secret.googleName}`;
}

/** A secret's name in Secrets Manager: `<service>/<awsName>`. */
export function awsSecretName(service: string, secret: BridgeSecret): string {
  return `${service}/${secret.awsName}`;
}

/** The names a secret had in Secrets Manager in earlier releases: `<service>/<former name>`. */
export function formerAwsSecretNames(service: string, secret: BridgeSecret): string[] {
  return secret.formerAwsNames.map((former) => `${service}/${former}`);
}

/**
 * The MCP paths of one server each (`/servers/<name>/mcp`), which both clouds route to the app
 * next to `/mcp` and `/health`: none without configured servers.
 */
export function serverPaths(env: EnvironmentConfig): string[] {
  return (env.servers ?? []).map(({ name }) => `/servers/${name}/mcp`);
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
      ...(env.servers === undefined ? {} : { MCP_SERVERS: JSON.stringify(serverListJson(deployedServerList(env.servers))) }),
      ...(env.access === undefined ? {} : { MCP_ACCESS: JSON.stringify(env.access) }),
      ...(auth.mode === 'oauth'
        ? {
            MCP_OAUTH_ISSUER: auth.issuer,
            MCP_OAUTH_AUDIENCE: `https://${env.domainName}/mcp`,
            MCP_OAUTH_REQUIRED_SCOPES: auth.requiredScopes.join(' '),
          }
        : {}),
    },
    secrets: [...(auth.mode === 'token' ? [TOKEN_DIGESTS_SECRET] : []), ...serverSecrets(env.servers ?? []).map(serverSecret)],
  };
}
