import { createHash, randomBytes } from 'node:crypto';
import { awsSecretName, BRIDGE_SECRETS, googleSecretId } from '../stacks/bridge-environment.js';
import { resourceName } from '../stacks/naming.js';
import type { Aws } from './clouds/aws.js';
import type { Gcloud } from './clouds/gcloud.js';

/** A new bearer token (32 random bytes, base64url) and the SHA-256 hex digest the bridge stores of it. */
export function newToken(): { readonly token: string; readonly digest: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: createHash('sha256').update(token).digest('hex') };
}

/** The digests a secret value holds (the bridge's `MCP_TOKEN_SHA256` format: comma-separated hex, newest first). */
export function parseDigests(value: string): string[] {
  return value.split(',').map((digest) => digest.trim()).filter((digest) => digest !== '');
}

const TOKEN_SECRET = BRIDGE_SECRETS.find((secret) => secret.envVar === 'MCP_TOKEN_SHA256')!;

/**
 * The token digests of an environment, kept the same in Secret Manager (Cloud Run reads it) and
 * Secrets Manager (Lambda reads it): both clouds must accept the same tokens, or a failover would
 * lock clients out.
 */
export class TokenDigests {
  /** The secret's id in Secret Manager. */
  readonly googleSecret: string;
  /** The secret's name in Secrets Manager. */
  readonly awsSecret: string;

  constructor(
    private readonly gcloud: Gcloud,
    private readonly aws: Aws,
    environment: string,
  ) {
    const service = resourceName(environment as never);
    this.googleSecret = googleSecretId(service, TOKEN_SECRET);
    this.awsSecret = awsSecretName(service, TOKEN_SECRET);
  }

  /** What each cloud holds now: the digests, and when Secret Manager's latest version was written. */
  async read(): Promise<{ google?: { digests: string[]; written: Date }; aws?: { digests: string[] } }> {
    const [versions, awsValue] = await Promise.all([this.gcloud.secretVersions(this.googleSecret), this.aws.secretValue(this.awsSecret)]);
    const google = versions.length === 0 ? undefined : { digests: parseDigests(await this.gcloud.secretValue(this.googleSecret)), written: new Date(versions[0]!.createTime) };
    return { ...(google === undefined ? {} : { google }), ...(awsValue === undefined ? {} : { aws: { digests: parseDigests(awsValue) } }) };
  }

  /** Stores the digests on both clouds (a new secret version on each). */
  async write(digests: readonly string[]): Promise<void> {
    const value = digests.join(',');
    await this.gcloud.addSecretVersion(this.googleSecret, value);
    await this.aws.putSecretValue(this.awsSecret, value);
  }
}

/**
 * The digests after a rotation: the new token's first, then the previous newest (its token stays
 * valid until the next rotation), then the older ones only while the last rotation is younger than
 * the grace period (clients had that long to move to the previous token).
 */
export function rotatedDigests(current: readonly string[], lastWritten: Date, newDigest: string, graceHours: number, now: Date): string[] {
  const withinGrace = now.getTime() - lastWritten.getTime() < graceHours * 3_600_000;
  return [newDigest, ...current.slice(0, 1), ...(withinGrace ? current.slice(1) : [])];
}
