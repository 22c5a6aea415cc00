import type { EnvironmentConfig } from './config.js';

/**
 * How traffic is split between the release being rolled out and the one before it,
 * the same on both clouds. `undefined` when the release is promoted (100%).
 */
export interface Canary {
  /** Percent of requests for the new release, 0 to 99. */
  readonly percent: number;
  /** The Cloud Run revision serving before this release. */
  readonly previousRevision: string;
  /** The published Lambda version serving before this release. */
  readonly lambdaStableVersion: number;
}

/** A config value given for the one region, or per region. */
function inRegion<T>(value: T | Readonly<Record<string, T>>, region: string): T {
  return typeof value === 'object' && value !== null ? (value as Readonly<Record<string, T>>)[region]! : (value as T);
}

/**
 * The canary of an environment in one region (Cloud Run's previous revision is the region's, and
 * so is the Lambda version: each region numbers its own), or `undefined` when the release is promoted.
 */
export function canaryOf(env: EnvironmentConfig, regions: { readonly gcp: string; readonly aws: string } = { gcp: env.gcp.region, aws: env.aws.region }): Canary | undefined {
  if (env.canaryPercent === 100 || env.previousRevision === undefined || env.lambdaStableVersion === undefined) return undefined;
  return {
    percent: env.canaryPercent,
    previousRevision: inRegion<string>(env.previousRevision, regions.gcp),
    lambdaStableVersion: inRegion<number>(env.lambdaStableVersion, regions.aws),
  };
}

/** The tag that makes the new Cloud Run revision reachable at its own URL during a canary. */
export const CANARY_TAG = 'canary';
