import { CommandError, runChecked, type CommandRunner } from './command.js';

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

  /** A Certificate Manager certificate's state: `ACTIVE`, `PROVISIONING`, `FAILED`. */
  async certificateState(name: string): Promise<string> {
    return (await this.#run(['certificate-manager', 'certificates', 'describe', name, '--format=value(managed.state)'])).stdout.trim();
  }
}
