import { CommandError, runChecked, type CommandRunner } from './command.js';

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

  /** What each Route 53 checker region reports for a health check: `true` when healthy. */
  async healthCheckObservations(healthCheckId: string): Promise<Array<{ region: string; healthy: boolean; status: string }>> {
    const { stdout } = await runChecked(this.runner, 'aws', ['route53', 'get-health-check-status', '--health-check-id', healthCheckId, '--output', 'json']);
    const { HealthCheckObservations = [] } = JSON.parse(stdout) as { HealthCheckObservations?: Array<{ Region: string; StatusReport: { Status: string } }> };
    return HealthCheckObservations.map(({ Region, StatusReport }) => ({ region: Region, healthy: StatusReport.Status.startsWith('Success'), status: StatusReport.Status }));
  }
}
