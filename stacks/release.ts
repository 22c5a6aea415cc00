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

/** The canary of an environment, or `undefined` when its release is promoted. */
export function canaryOf(env: EnvironmentConfig): Canary | undefined {
  if (env.canaryPercent === 100 || env.previousRevision === undefined || env.lambdaStableVersion === undefined) return undefined;
  return { percent: env.canaryPercent, previousRevision: env.previousRevision, lambdaStableVersion: env.lambdaStableVersion };
}

/** The tag that makes the new Cloud Run revision reachable at its own URL during a canary. */
export const CANARY_TAG = 'canary';
