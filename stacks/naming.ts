import type { EnvironmentConfig, EnvironmentName } from './config.js';
import { needsReleaseImage } from './server-packaging.js';

/** The product's short name, the first part of every resource name. */
export const SERVICE = 'mcp-bridge';

/**
 * The stacks of an environment: the two bootstrap stacks (what must exist before a deploy, each
 * cloud's state in its own bucket) and the three that serve.
 */
export type StackKind = 'bootstrap-gcp' | 'bootstrap-aws' | 'gcp' | 'aws' | 'edge';

/** The kind of one AWS region's stack: `aws` in the home region (`aws.region`), `aws-<region>` in every further one. */
export type AwsStackKind = 'aws' | `aws-${string}`;

/** The kind of the AWS stack of `region` (see {@link AwsStackKind}). */
export function awsStackKind(env: Pick<EnvironmentConfig, 'aws'>, region: string): AwsStackKind {
  return region === env.aws.region ? 'aws' : `aws-${region}`;
}

/** A stack's id: `<env>-<kind>`, which `cdktf deploy 'staging-*'` selects by. */
export function stackId(env: EnvironmentName, kind: StackKind | AwsStackKind): string {
  return `${env}-${kind}`;
}

/** A resource name shared by both clouds: `mcp-bridge-<env>[-<part>]`. */
export function resourceName(env: EnvironmentName, part?: string): string {
  return part === undefined ? `${SERVICE}-${env}` : `${SERVICE}-${env}-${part}`;
}

/**
 * The Lambda function's name: the service's, or with `-image` when the environment runs the release
 * image. Lambda cannot change a function's package type, and a name is unique, so the two kinds have
 * names of their own: a switch creates the new function before it deletes the old one (see
 * stacks/aws/bridge-function.ts), and the API moves to it without a moment of no backend.
 */
export function lambdaFunctionName(env: Pick<EnvironmentConfig, 'name' | 'servers'>): string {
  return needsReleaseImage(env.servers) ? resourceName(env.name, 'image') : resourceName(env.name);
}

/** The labels (GCP) and tags (AWS) every resource carries. */
export function standardTags(env: EnvironmentName): Record<'service' | 'environment' | 'managed-by', string> {
  return { service: SERVICE, environment: env, 'managed-by': 'cdktf' };
}

/** The bucket Cloud Build stages an environment's build sources in (bootstrap makes it; builds expire after 7 days). */
export function buildSourcesBucket(env: Pick<EnvironmentConfig, 'name' | 'gcp'>): string {
  return `${env.gcp.project}-${env.name}-build-sources`;
}

/** The name an AWS region's API also answers on with several regions (what its health check probes): `<region>.<domainName>`. */
export function regionalDomainName(env: Pick<EnvironmentConfig, 'domainName'>, region: string): string {
  return `${region}.${env.domainName}`;
}
