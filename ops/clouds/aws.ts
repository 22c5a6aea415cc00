import { CommandError, runChecked, type CommandRunner } from './command.js';
import { checkerObservations, type CheckerObservation } from './health-checkers.js';

/** One version of an S3 object, or a delete marker. */
export interface ObjectVersion {
  /** The object's key. */
  readonly key: string;
  /** The version's id (what DeleteObjects names it by). */
  readonly versionId: string;
  /** Whether it is the object's current version (a current delete marker hides the object). */
  readonly isLatest: boolean;
  /** Whether it is a delete marker rather than a version with content. */
  readonly deleteMarker: boolean;
}

/** What S3 answers for an object or bucket that does not exist; a missing permission (403) is not this. */
const S3_NOT_FOUND = /\(404\)|NoSuchKey|NoSuchBucket/;

/** The AWS calls the operator commands make, through the `aws` CLI. */
export class Aws {
  constructor(
    private readonly runner: CommandRunner,
    /** The region of the regional calls. */
    readonly region: string,
  ) {}

  #run(args: readonly string[], input?: string) {
    return runChecked(this.runner, 'aws', [...args, '--region', this.region, '--output', 'json'], input === undefined ? {} : { input });
  }

  /** The current value of a secret, or `undefined` when it has none yet. */
  async secretValue(name: string): Promise<string | undefined> {
    const args = ['secretsmanager', 'get-secret-value', '--secret-id', name, '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode !== 0 && /ResourceNotFoundException/.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('aws', args, result);
    return (JSON.parse(result.stdout) as { SecretString?: string }).SecretString;
  }

  /** Stores a new current value of a secret; the value goes through standard input. */
  async putSecretValue(name: string, value: string): Promise<void> {
    await this.#run(['secretsmanager', 'put-secret-value', '--secret-id', name, '--secret-string', 'file:///dev/stdin'], value);
  }

  /** Whether an S3 object exists. */
  async objectExists(bucket: string, key: string): Promise<boolean> {
    const args = ['s3api', 'head-object', '--bucket', bucket, '--key', key, '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode === 0) return true;
    if (/\(404\)|Not Found|NoSuchKey|NoSuchBucket/i.test(result.stderr)) return false;
    throw new CommandError('aws', args, result);
  }

  /**
   * The text of an S3 object, or `undefined` when the object or its bucket does not exist. Any
   * other failure (a missing permission) is an error: a read that cannot tell must never pass for
   * "nothing there".
   */
  async objectText(bucket: string, key: string): Promise<string | undefined> {
    const args = ['s3', 'cp', `s3://${bucket}/${key}`, '-', '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode === 0) return result.stdout;
    if (S3_NOT_FOUND.test(result.stderr)) return undefined;
    throw new CommandError('aws', args, result);
  }

  /** Every version and delete marker in a bucket (the CLI reads every page); `undefined` when the bucket does not exist. */
  async objectVersions(bucket: string): Promise<ObjectVersion[] | undefined> {
    const args = ['s3api', 'list-object-versions', '--bucket', bucket, '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode !== 0 && /NoSuchBucket/.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('aws', args, result);
    type Listed = { Key: string; VersionId: string; IsLatest: boolean };
    const { Versions = [], DeleteMarkers = [] } = JSON.parse(result.stdout || '{}') as { Versions?: Listed[]; DeleteMarkers?: Listed[] };
    return [
      ...Versions.map((version) => ({ key: version.Key, versionId: version.VersionId, isLatest: version.IsLatest, deleteMarker: false })),
      ...DeleteMarkers.map((marker) => ({ key: marker.Key, versionId: marker.VersionId, isLatest: marker.IsLatest, deleteMarker: true })),
    ];
  }

  /**
   * Deletes object versions and delete markers for good, at most 1,000 a request (S3
   * DeleteObjects' limit); throws naming the first that S3 would not delete (DeleteObjects answers
   * 200 and lists those under `Errors`).
   */
  async deleteObjectVersions(bucket: string, versions: readonly ObjectVersion[]): Promise<void> {
    for (let start = 0; start < versions.length; start += 1000) {
      const batch = versions.slice(start, start + 1000).map(({ key, versionId }) => ({ Key: key, VersionId: versionId }));
      const { stdout } = await this.#run(['s3api', 'delete-objects', '--bucket', bucket, '--delete', 'file:///dev/stdin'], JSON.stringify({ Objects: batch, Quiet: true }));
      const { Errors = [] } = JSON.parse(stdout || '{}') as { Errors?: Array<{ Key: string; VersionId?: string; Code: string; Message: string }> };
      if (Errors.length > 0) {
        const [first] = Errors;
        throw new Error(`S3 did not delete ${Errors.length} object version(s) of s3://${bucket}, the first ${first!.Key} (${first!.VersionId}): ${first!.Code}: ${first!.Message}`);
      }
    }
  }

  /** Deletes an empty bucket. */
  async deleteBucket(bucket: string): Promise<void> {
    await this.#run(['s3api', 'delete-bucket', '--bucket', bucket]);
  }

  /** The CloudWatch Logs groups whose names contain `pattern` (the CLI reads every page). */
  async logGroups(pattern: string): Promise<string[]> {
    const { stdout } = await this.#run(['logs', 'describe-log-groups', '--log-group-name-pattern', pattern]);
    return ((JSON.parse(stdout || '{}') as { logGroups?: Array<{ logGroupName: string }> }).logGroups ?? []).map((group) => group.logGroupName);
  }

  /** Deletes a log group and its logs. */
  async deleteLogGroup(name: string): Promise<void> {
    await this.#run(['logs', 'delete-log-group', '--log-group-name', name]);
  }

  /** An ECR repository's URI (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`). */
  async ecrRepositoryUri(name: string): Promise<string> {
    const { stdout } = await this.#run(['ecr', 'describe-repositories', '--repository-names', name]);
    return (JSON.parse(stdout) as { repositories: Array<{ repositoryUri: string }> }).repositories[0]!.repositoryUri;
  }

  /** The password `docker login` takes for this region's registry (valid 12 hours). */
  async ecrLoginPassword(): Promise<string> {
    return (await runChecked(this.runner, 'aws', ['ecr', 'get-login-password', '--region', this.region])).stdout.trim();
  }

  /** The digest of an image in an ECR repository, by tag or by digest; `undefined` when it is not there. */
  async ecrImageDigest(name: string, image: { readonly tag: string } | { readonly digest: string }): Promise<string | undefined> {
    const args = ['ecr', 'describe-images', '--repository-name', name, '--image-ids', 'tag' in image ? `imageTag=${image.tag}` : `imageDigest=${image.digest}`, '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode !== 0 && /ImageNotFoundException/.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('aws', args, result);
    return (JSON.parse(result.stdout) as { imageDetails: Array<{ imageDigest: string }> }).imageDetails[0]?.imageDigest;
  }

  /** Whether a secret exists, and whether it is scheduled for deletion (`DeletedDate` set: still recoverable). */
  async secretStatus(name: string): Promise<'absent' | 'active' | 'scheduled for deletion'> {
    return (await this.describeSecret(name))?.status ?? 'absent';
  }

  /** A secret's ARN and status; `undefined` when no secret has the name. */
  async describeSecret(name: string): Promise<{ readonly arn: string; readonly status: 'active' | 'scheduled for deletion' } | undefined> {
    const args = ['secretsmanager', 'describe-secret', '--secret-id', name, '--region', this.region, '--output', 'json'];
    const result = await this.runner.run('aws', args);
    if (result.exitCode !== 0 && /ResourceNotFoundException/.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('aws', args, result);
    const secret = JSON.parse(result.stdout) as { ARN: string; DeletedDate?: string };
    return { arn: secret.ARN, status: secret.DeletedDate === undefined ? 'active' : 'scheduled for deletion' };
  }

  /** Cancels a secret's scheduled deletion. */
  async restoreSecret(name: string): Promise<void> {
    await this.#run(['secretsmanager', 'restore-secret', '--secret-id', name]);
  }

  /** Schedules a secret's deletion after Secrets Manager's default recovery window (30 days; `restoreSecret` cancels it). */
  async scheduleSecretDeletion(name: string): Promise<void> {
    await this.#run(['secretsmanager', 'delete-secret', '--secret-id', name]);
  }

  /**
   * Deletes a secret and every version of it at once, without a recovery window. Restore a secret
   * scheduled for deletion first: the API reference does not say that a forced delete cuts a
   * running recovery window short, and LocalStack, which plays the API, refuses it ("You tried to
   * perform the operation on a secret that's currently marked deleted", localstack/awscli-local#83).
   */
  async deleteSecretWithoutRecovery(name: string): Promise<void> {
    await this.#run(['secretsmanager', 'delete-secret', '--secret-id', name, '--force-delete-without-recovery']);
  }

  /** What each Route 53 checker region reports for a health check (through the aws CLI; see {@link checkerObservations}). */
  async healthCheckObservations(healthCheckId: string): Promise<CheckerObservation[]> {
    const { stdout } = await runChecked(this.runner, 'aws', ['route53', 'get-health-check-status', '--health-check-id', healthCheckId, '--output', 'json']);
    return checkerObservations(JSON.parse(stdout) as Parameters<typeof checkerObservations>[0]);
  }
}
