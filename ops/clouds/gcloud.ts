import { CommandError, runChecked, type CommandRunner } from './command.js';

/**
 * What `gcloud storage` says when an object or a bucket does not exist ("The following URLs matched
 * no objects or files", "gs://bucket not found: 404."); a missing permission (403) is not this.
 */
const STORAGE_NOT_FOUND = /matched no objects|\b404\b|NOT_FOUND/;

/** A secret version, newest first in lists. */
export interface SecretVersion {
  /** The version's number, as Secret Manager names it. */
  readonly name: string;
  /** When it was added (ISO 8601). */
  readonly createTime: string;
}

/** The Google Cloud calls the operator commands make, through the `gcloud` CLI. */
export class Gcloud {
  constructor(
    private readonly runner: CommandRunner,
    /** The project every call is about. */
    readonly project: string,
  ) {}

  #run(args: readonly string[], input?: string) {
    return runChecked(this.runner, 'gcloud', [...args, '--project', this.project, '--quiet'], input === undefined ? {} : { input });
  }

  /** The digest (`sha256:…`) of an image tag in Artifact Registry, or `undefined` when the tag does not exist. */
  async imageDigest(imageWithTag: string): Promise<string | undefined> {
    const args = ['artifacts', 'docker', 'images', 'describe', imageWithTag, '--format=value(image_summary.digest)', '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode !== 0 && /NOT_FOUND|not found|Failed to find/i.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('gcloud', args, result);
    return result.stdout.trim() || undefined;
  }

  /**
   * Builds and pushes the image with Cloud Build (`deploy/cloudbuild.yaml`), streaming its log;
   * the sources are staged in `stagingDirectory` (`gs://bucket/path`: the bucket bootstrap made).
   */
  async submitBuild(substitutions: Readonly<Record<string, string>>, stagingDirectory: string): Promise<void> {
    const pairs = Object.entries(substitutions).map(([key, value]) => `${key}=${value}`).join(',');
    await runChecked(
      this.runner,
      'gcloud',
      ['builds', 'submit', '--config', 'deploy/cloudbuild.yaml', '--substitutions', pairs, '--gcs-source-staging-dir', stagingDirectory, '--project', this.project, '--quiet', '.'],
      { stream: true },
    );
  }

  /** The enabled versions of a secret, newest first; `[]` when it has none. */
  async secretVersions(secret: string): Promise<SecretVersion[]> {
    const { stdout } = await this.#run(['secrets', 'versions', 'list', secret, '--filter=state:ENABLED', '--sort-by=~createTime', '--format=json']);
    return (JSON.parse(stdout || '[]') as Array<{ name: string; createTime: string }>).map(({ name, createTime }) => ({ name: name.split('/').pop()!, createTime }));
  }

  /** The latest value of a secret. */
  async secretValue(secret: string): Promise<string> {
    return (await this.#run(['secrets', 'versions', 'access', 'latest', '--secret', secret])).stdout.trim();
  }

  /** Adds a secret version; the value goes through standard input, never the command line. */
  async addSecretVersion(secret: string, value: string): Promise<void> {
    await this.#run(['secrets', 'versions', 'add', secret, '--data-file=-'], value);
  }

  /** Whether a Cloud Storage object exists (`gs://bucket/path`). */
  async objectExists(url: string): Promise<boolean> {
    const args = ['storage', 'objects', 'describe', url, '--format=value(name)', '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode === 0) return true;
    if (/NOT_FOUND|404|not found|matched no objects/i.test(result.stderr)) return false;
    throw new CommandError('gcloud', args, result);
  }

  /**
   * The text of a Cloud Storage object's live version (`gs://bucket/path`), or `undefined` when the
   * object or its bucket does not exist. Any other failure (a missing permission) is an error: a
   * read that cannot tell must never pass for "nothing there".
   */
  async objectText(url: string): Promise<string | undefined> {
    const args = ['storage', 'cat', url, '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode === 0) return result.stdout;
    if (STORAGE_NOT_FOUND.test(result.stderr)) return undefined;
    throw new CommandError('gcloud', args, result);
  }

  /** Whether a Cloud Storage bucket exists. */
  async bucketExists(bucket: string): Promise<boolean> {
    const args = ['storage', 'buckets', 'describe', `gs://${bucket}`, '--format=value(name)', '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode === 0) return true;
    if (STORAGE_NOT_FOUND.test(result.stderr)) return false;
    throw new CommandError('gcloud', args, result);
  }

  /** Every generation of every object in an existing bucket, as `gs://bucket/path#generation`; `[]` when it is empty. */
  async objectGenerations(bucket: string): Promise<string[]> {
    const args = ['storage', 'ls', '--all-versions', `gs://${bucket}/**`, '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode === 0) return result.stdout.split('\n').filter((line) => line.startsWith('gs://'));
    if (/matched no objects/.test(result.stderr)) return [];
    throw new CommandError('gcloud', args, result);
  }

  /** Deletes every generation of every object in a bucket, keeping the bucket. */
  async deleteObjects(bucket: string): Promise<void> {
    await this.#run(['storage', 'rm', '--all-versions', `gs://${bucket}/**`]);
  }

  /**
   * Deletes a bucket with every generation of every object in it (`gcloud storage rm --recursive`
   * on a bucket URL: "deletes all versions of all resources in my-bucket and then deletes the
   * bucket", cloud.google.com/sdk/gcloud/reference/storage/rm).
   */
  async deleteBucket(bucket: string): Promise<void> {
    await this.#run(['storage', 'rm', '--recursive', `gs://${bucket}`]);
  }

  /** The digests of an image's versions in Artifact Registry (`<region>-docker.pkg.dev/<project>/<repository>/<image>`); `[]` when it has none. */
  async imageDigests(image: string): Promise<string[]> {
    const args = ['artifacts', 'docker', 'images', 'list', image, '--format=value(version)', '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode !== 0 && /NOT_FOUND/.test(result.stderr)) return [];
    if (result.exitCode !== 0) throw new CommandError('gcloud', args, result);
    return result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  }

  /** Deletes an Artifact Registry package: every version and tag of it (the API's packages.delete). */
  async deletePackage(repository: string, location: string, name: string): Promise<void> {
    await this.#run(['artifacts', 'packages', 'delete', name, '--repository', repository, '--location', location]);
  }

  /** The revisions of a Cloud Run service in a region; `[]` when it has none (or the service does not exist). */
  async revisions(service: string, region: string): Promise<string[]> {
    const { stdout } = await this.#run(['run', 'revisions', 'list', '--service', service, '--region', region, '--format=value(metadata.name)']);
    return stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  }

  /**
   * A workload identity pool's state (`ACTIVE`, or `DELETED`: soft-deleted, its id taken for about
   * 30 days), or `undefined` once it is gone for good (or never was).
   */
  async workloadIdentityPoolState(pool: string): Promise<string | undefined> {
    return this.#stateOrAbsent(['iam', 'workload-identity-pools', 'describe', pool, '--location=global']);
  }

  /** A workload identity pool provider's state, as {@link workloadIdentityPoolState} words it. */
  async workloadIdentityPoolProviderState(pool: string, provider: string): Promise<string | undefined> {
    return this.#stateOrAbsent(['iam', 'workload-identity-pools', 'providers', 'describe', provider, `--workload-identity-pool=${pool}`, '--location=global']);
  }

  /** Takes back a soft-deleted workload identity pool (its id and project number unchanged). */
  async undeleteWorkloadIdentityPool(pool: string): Promise<void> {
    await this.#run(['iam', 'workload-identity-pools', 'undelete', pool, '--location=global']);
  }

  /** Takes back a soft-deleted workload identity pool provider. */
  async undeleteWorkloadIdentityPoolProvider(pool: string, provider: string): Promise<void> {
    await this.#run(['iam', 'workload-identity-pools', 'providers', 'undelete', provider, `--workload-identity-pool=${pool}`, '--location=global']);
  }

  /**
   * A log bucket's lifecycle state (`ACTIVE`, or `DELETE_REQUESTED`: deleted, its id taken for 7
   * days), or `undefined` once it is gone for good (or never was).
   */
  async logBucketState(bucket: string): Promise<string | undefined> {
    return this.#stateOrAbsent(['logging', 'buckets', 'describe', bucket, '--location=global'], 'lifecycleState');
  }

  /** Takes back a deleted log bucket (with the entries it held). */
  async undeleteLogBucket(bucket: string): Promise<void> {
    await this.#run(['logging', 'buckets', 'undelete', bucket, '--location=global']);
  }

  /** The state field (`state` unless named) a describe command prints, or `undefined` when the API answers NOT_FOUND. */
  async #stateOrAbsent(describe: readonly string[], field = 'state'): Promise<string | undefined> {
    const args = [...describe, `--format=value(${field})`, '--project', this.project, '--quiet'];
    const result = await this.runner.run('gcloud', args);
    if (result.exitCode !== 0 && /NOT_FOUND/.test(result.stderr)) return undefined;
    if (result.exitCode !== 0) throw new CommandError('gcloud', args, result);
    return result.stdout.trim();
  }

  /** A Certificate Manager certificate's state: `ACTIVE`, `PROVISIONING`, `FAILED`. */
  async certificateState(name: string): Promise<string> {
    return (await this.#run(['certificate-manager', 'certificates', 'describe', name, '--format=value(managed.state)'])).stdout.trim();
  }
}
