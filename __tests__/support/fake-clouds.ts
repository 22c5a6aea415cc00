import type { CommandOptions, CommandResult, CommandRunner } from '../../ops/clouds/command.js';

/** One command the operator code ran. */
export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const failed = (stderr: string, exitCode = 1): CommandResult => ({ exitCode, stdout: '', stderr });

/**
 * A recording fake of `gcloud`, `aws`, `docker`/`podman`, `npx cdktf` and `terraform output`: it
 * keeps the little state the operator commands read back (images, secret versions, stack outputs,
 * certificate and health-check states), answers as the real tools do (their JSON, their error
 * texts), and records every call in order. `failNext` makes the next matching call fail.
 */
export class FakeClouds implements CommandRunner {
  readonly calls: RecordedCall[] = [];
  /** Image tags (`…/bridge:<sha>`) in Artifact Registry, with their digests. */
  readonly images = new Map<string, string>();
  /** Secret Manager versions of each secret, oldest first. */
  readonly googleSecrets = new Map<string, Array<{ value: string; createTime: string }>>();
  /** Secrets Manager current values. */
  readonly awsSecrets = new Map<string, string>();
  /** `terraform output -json` of each stack. */
  readonly outputs = new Map<string, Record<string, unknown>>();
  /** Objects in the state buckets (`gs://bucket/path`, `s3://bucket/key`). */
  readonly objects = new Set<string>();
  /** Called for every `cdktf deploy` and `terraform init -migrate-state`, to play their side effects. */
  readonly hooks: Array<{ readonly matcher: RegExp; readonly run: (call: RecordedCall) => void }> = [];
  /** What successive `certificate-manager certificates describe` calls answer; the last repeats. */
  certificateStates: string[] = ['ACTIVE'];
  /** What successive `get-health-check-status` calls answer (checker statuses); the last repeats. */
  healthChecks: string[][] = [['Success: HTTP Status Code 200', 'Success: HTTP Status Code 200', 'Success: HTTP Status Code 200']];
  readonly #failures: Array<{ matcher: RegExp; result: CommandResult }> = [];

  constructor(private readonly clock: () => Date = () => new Date('2026-11-25T12:00:00Z')) {}

  /** Makes the next call whose command line matches fail with the given error text. */
  failNext(matcher: RegExp, stderr: string, exitCode = 1): void {
    this.#failures.push({ matcher, result: failed(stderr, exitCode) });
  }

  /** The calls as command lines, for asserting order. */
  get lines(): string[] {
    return this.calls.map((call) => [call.command, ...call.args].join(' '));
  }

  async run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    this.calls.push({ command, args, ...(options.input === undefined ? {} : { input: options.input }), ...(options.env === undefined ? {} : { env: options.env }) });
    const line = [command, ...args].join(' ');
    const failure = this.#failures.findIndex(({ matcher }) => matcher.test(line));
    if (failure >= 0) return this.#failures.splice(failure, 1)[0]!.result;
    for (const hook of this.hooks) if (hook.matcher.test(line)) hook.run(this.calls.at(-1)!);
    const flag = (name: string) => args[args.indexOf(name) + 1]!;

    if (command === 'git') return ok('abc1234\n');
    if (command === 'gcloud') return this.#gcloud(args, options, flag);
    if (command === 'aws') return this.#aws(args, options, flag);
    if (command === 'docker' || command === 'podman') {
      if (args[0] === 'push') this.images.set(args[1]!, `sha256:${'d'.repeat(64)}`);
      return ok();
    }
    if (command === 'npx' && args[0] === 'cdktf') return ok(`${args[1]} ${args.slice(2).join(' ')}: done\n`);
    if (command === 'terraform' && args.includes('output')) {
      const stack = args[0]!.replace(/^-chdir=.*\/stacks\//, '');
      const outputs = this.outputs.get(stack);
      return outputs === undefined ? failed('No outputs found') : ok(JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { value }]))));
    }
    if (command === 'terraform' && args.includes('-migrate-state')) return ok('Successfully configured the backend');
    throw new Error(`FakeClouds: no fake for ${line}`);
  }

  #gcloud(args: readonly string[], options: CommandOptions, flag: (name: string) => string): CommandResult {
    const line = args.join(' ');
    if (line.startsWith('artifacts docker images describe')) {
      const digest = this.images.get(args[4]!);
      return digest === undefined ? failed(`ERROR: (gcloud.artifacts.docker.images.describe) NOT_FOUND: Requested entity was not found.`) : ok(`${digest}\n`);
    }
    if (line.startsWith('builds submit')) {
      const substitutions = Object.fromEntries(flag('--substitutions').split(',').map((pair) => pair.split('=') as [string, string]));
      const tag = `${substitutions._REGION}-docker.pkg.dev/${flag('--project')}/mcp-bridge-${substitutions._ENVIRONMENT}/bridge:${substitutions.SHORT_SHA}`;
      this.images.set(tag, `sha256:${'c'.repeat(64)}`);
      return ok('DONE\n');
    }
    if (line.startsWith('auth configure-docker')) return ok();
    if (line.startsWith('storage objects describe')) {
      return this.objects.has(args[3]!) ? ok(`${args[3]}\n`) : failed(`ERROR: (gcloud.storage.objects.describe) The following URLs matched no objects or files:\n${args[3]}`);
    }
    if (line.startsWith('secrets versions list')) {
      const versions = [...(this.googleSecrets.get(args[3]!) ?? [])].reverse();
      return ok(JSON.stringify(versions.map((version, index) => ({ name: `projects/p/secrets/${args[3]}/versions/${versions.length - index}`, createTime: version.createTime }))));
    }
    if (line.startsWith('secrets versions access latest')) {
      const versions = this.googleSecrets.get(flag('--secret')) ?? [];
      return versions.length === 0 ? failed('ERROR: NOT_FOUND: Secret has no versions') : ok(`${versions.at(-1)!.value}\n`);
    }
    if (line.startsWith('secrets versions add')) {
      const versions = this.googleSecrets.get(args[3]!) ?? [];
      versions.push({ value: options.input!, createTime: this.clock().toISOString() });
      this.googleSecrets.set(args[3]!, versions);
      return ok();
    }
    if (line.startsWith('certificate-manager certificates describe')) {
      const state = this.certificateStates.length > 1 ? this.certificateStates.shift()! : this.certificateStates[0]!;
      return ok(`${state}\n`);
    }
    throw new Error(`FakeClouds: no fake for gcloud ${line}`);
  }

  #aws(args: readonly string[], options: CommandOptions, flag: (name: string) => string): CommandResult {
    const line = args.join(' ');
    if (line.startsWith('secretsmanager get-secret-value')) {
      const value = this.awsSecrets.get(flag('--secret-id'));
      return value === undefined
        ? failed("An error occurred (ResourceNotFoundException) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret value for staging label: AWSCURRENT", 254)
        : ok(JSON.stringify({ Name: flag('--secret-id'), SecretString: value }));
    }
    if (line.startsWith('secretsmanager put-secret-value')) {
      this.awsSecrets.set(flag('--secret-id'), options.input!);
      return ok('{}');
    }
    if (line.startsWith('s3api head-object')) {
      return this.objects.has(`s3://${flag('--bucket')}/${flag('--key')}`) ? ok('{}') : failed('An error occurred (404) when calling the HeadObject operation: Not Found', 254);
    }
    if (line.startsWith('route53 get-health-check-status')) {
      const statuses = this.healthChecks.length > 1 ? this.healthChecks.shift()! : this.healthChecks[0]!;
      const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
      return ok(JSON.stringify({ HealthCheckObservations: statuses.map((Status, index) => ({ Region: regions[index], StatusReport: { Status } })) }));
    }
    throw new Error(`FakeClouds: no fake for aws ${line}`);
  }
}
