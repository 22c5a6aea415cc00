import type { CommandOptions, CommandResult, CommandRunner } from '../../ops/clouds/command.js';
import { awsSecretName, BRIDGE_SECRETS } from '../../stacks/bridge-environment.js';
import { resourceName } from '../../stacks/naming.js';

/** One command the operator code ran. */
export interface RecordedCall {
  readonly command: string;
  readonly args: readonly string[];
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

/** One version of an object in a fake bucket; one without a body is an S3 delete marker. */
export interface FakeObjectVersion {
  /** The object's key (path) in its bucket. */
  readonly key: string;
  /** Its version id (S3) or generation (GCS). */
  readonly version: string;
  /** Its content; none for a delete marker. */
  readonly body?: string;
}

const ok = (stdout = ''): CommandResult => ({ exitCode: 0, stdout, stderr: '' });
const failed = (stderr: string, exitCode = 1): CommandResult => ({ exitCode, stdout: '', stderr });

/**
 * A recording fake of `gcloud`, `aws`, `docker`/`podman`, `npx cdktf` and `terraform`: it keeps the
 * little state the operator commands read back (images, secrets, stack outputs, certificate and
 * health-check states, versioned buckets, revisions, log groups, workload identity pools), answers
 * as the real tools do (their JSON, their error texts), and records every call in order. `failNext` makes the next
 * matching call fail; `hooks` play the side effects of cdktf and terraform on the fake state.
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
  /** Objects in the state buckets (`gs://bucket/path`, `s3://bucket/key`), by existence only; see also `buckets`. */
  readonly objects = new Set<string>();
  /** Buckets (`gs://name`, `s3://name`) with every version of their objects, oldest first (`putObject` fills them). */
  readonly buckets = new Map<string, FakeObjectVersion[]>();
  /** Cloud Run revisions, by `<region>/<service>`. */
  readonly revisions = new Map<string, string[]>();
  /** CloudWatch Logs groups, as `<region>:<name>`. */
  readonly logGroups = new Set<string>();
  /** Secrets Manager secrets (with or without a value), and whether each is scheduled for deletion; one in `awsSecrets` alone is active. */
  readonly awsSecretStates = new Map<string, 'active' | 'scheduled for deletion'>();
  /** Log buckets by id, and whether each is deleted (held 7 days). */
  readonly logBuckets = new Map<string, 'ACTIVE' | 'DELETE_REQUESTED'>();
  /** Workload identity pools (`<pool>`) and providers (`<pool>/<provider>`), and whether each is soft-deleted. */
  readonly workloadIdentity = new Map<string, 'ACTIVE' | 'DELETED'>();
  /** Called for every matching command line (`cdktf deploy`, `terraform state rm`, …), to play its side effects. */
  readonly hooks: Array<{ readonly matcher: RegExp; readonly run: (call: RecordedCall) => void }> = [];
  /** What successive `certificate-manager certificates describe` calls answer; the last repeats. */
  certificateStates: string[] = ['ACTIVE'];
  /** What successive `get-health-check-status` calls answer (checker statuses); the last repeats. */
  healthChecks: string[][] = [['Success: HTTP Status Code 200', 'Success: HTTP Status Code 200', 'Success: HTTP Status Code 200']];
  /** Images in ECR, as `<account>.dkr.ecr.<region>.amazonaws.com/<repository>:<tag>`, with their digests. */
  readonly ecrImages = new Map<string, string>();
  /** What an ECR push stores instead of the pulled image's digest (a push that re-compressed the layers). */
  ecrPushDigest: string | undefined;
  #pulled: string | undefined;
  readonly #failures: Array<{ matcher: RegExp; result: CommandResult }> = [];
  #versions = 1_700_000_000_000_000;

  constructor(private readonly clock: () => Date = () => new Date('2026-11-25T12:00:00Z')) {}

  /** Makes the next call whose command line matches fail with the given error text. */
  failNext(matcher: RegExp, stderr: string, exitCode = 1): void {
    this.#failures.push({ matcher, result: failed(stderr, exitCode) });
  }

  /** Adds a version of an object (`gs://bucket/path`, `s3://bucket/key`), making the bucket if needed; no body adds an S3 delete marker. */
  putObject(url: string, body?: string): void {
    const [, bucket, key] = /^([a-z0-9]+:\/\/[^/]+)\/(.+)$/.exec(url)!;
    const versions = this.buckets.get(bucket!) ?? [];
    versions.push({ key: key!, version: String(++this.#versions), ...(body === undefined ? {} : { body }) });
    this.buckets.set(bucket!, versions);
  }

  /** An object's current body, or `undefined` when it (or its bucket) does not exist or a delete marker hides it. */
  currentObject(url: string): string | undefined {
    const [, bucket, key] = /^([a-z0-9]+:\/\/[^/]+)\/(.+)$/.exec(url)!;
    return this.buckets.get(bucket!)?.filter((version) => version.key === key).at(-1)?.body;
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
      if (args[0] === 'pull') this.#pulled = this.images.get(args.at(-1)!.replace(/@.*$/, '')) ?? args.at(-1)!.split('@')[1];
      if (args[0] === 'push' && args[1]!.includes('.dkr.ecr.')) this.ecrImages.set(args[1]!, this.ecrPushDigest ?? this.#pulled ?? `sha256:${'e'.repeat(64)}`);
      else if (args[0] === 'push') this.images.set(args[1]!, `sha256:${'d'.repeat(64)}`);
      return ok();
    }
    if (command === 'npx' && args[0] === 'cdktf') return this.#cdktf(args);
    if (command === 'terraform' && args.includes('output')) {
      const stack = args[0]!.replace(/^-chdir=.*\/stacks\//, '');
      const outputs = this.outputs.get(stack);
      return outputs === undefined ? failed('No outputs found') : ok(JSON.stringify(Object.fromEntries(Object.entries(outputs).map(([key, value]) => [key, { value }]))));
    }
    if (command === 'terraform' && args.includes('-migrate-state')) return ok('Successfully configured the backend');
    if (command === 'terraform' && args[1] === 'init') return ok('Terraform has been successfully initialized!\n');
    if (command === 'terraform' && args[1] === 'import') return this.#import(args.at(-1)!);
    if (command === 'terraform' && args[1] === 'state' && args[2] === 'rm') {
      const removed = args.slice(3);
      return ok(`${removed.map((address) => `Removed ${address}`).join('\n')}\nSuccessfully removed ${removed.length} resource instance(s).\n`);
    }
    throw new Error(`FakeClouds: no fake for ${line}`);
  }

  /**
   * `cdktf synth`, `deploy`, `destroy`. A bootstrap stack's apply fails as the providers' creates
   * do while what it creates is soft-deleted under the same id: a workload identity pool or
   * provider (409), the environment's Secrets Manager secrets ("scheduled for deletion").
   */
  #cdktf(args: readonly string[]): CommandResult {
    const stack = args[2] ?? '';
    if (args[1] === 'deploy' && stack.endsWith('-bootstrap-gcp')) {
      const deleted = [...this.workloadIdentity].find(([, state]) => state === 'DELETED');
      if (deleted !== undefined) return failed(`Error: Error creating WorkloadIdentityPool: googleapi: Error 409: Requested entity already exists (${deleted[0]})`);
      // The provider adopts a bucket it finds under the id, then cannot change a held one.
      const held = [...this.logBuckets].find(([, state]) => state === 'DELETE_REQUESTED');
      if (held !== undefined) return failed(`Error: Error updating Logging Bucket Config "${held[0]}": googleapi: Error 400: Buckets must be in an ACTIVE state to be modified`);
    }
    if (args[1] === 'deploy' && stack.endsWith('-bootstrap-aws')) {
      const service = resourceName(stack.replace(/-bootstrap-aws$/, ''));
      const deleted = BRIDGE_SECRETS.map((secret) => awsSecretName(service, secret)).find((name) => this.#secretState(name) === 'scheduled for deletion');
      if (deleted !== undefined) {
        return failed(`Error: creating Secrets Manager Secret (${deleted}): InvalidRequestException: You can't create this secret because a secret with this name is already scheduled for deletion.`);
      }
    }
    return ok(`${args[1]} ${args.slice(2).join(' ')}: done\n`);
  }

  /** `terraform import`: the providers read the object first, and one soft-deleted reads as gone (their decoders say so). */
  #import(id: string): CommandResult {
    const identity = /workloadIdentityPools\/([^/]+)(?:\/providers\/([^/]+))?$/.exec(id);
    const secret = /^arn:aws:secretsmanager:[^:]+:\d+:secret:(.+)-[A-Za-z0-9]{6}$/.exec(id);
    const bucket = /\/locations\/global\/buckets\/([^/]+)$/.exec(id);
    const present =
      identity !== null
        ? this.workloadIdentity.get(identity[2] === undefined ? identity[1]! : `${identity[1]}/${identity[2]}`) === 'ACTIVE'
        : bucket !== null
          ? this.logBuckets.get(bucket[1]!) === 'ACTIVE'
          : secret !== null && this.#secretState(secret[1]!) === 'active';
    if (!present) return failed(`Error: Cannot import non-existent remote object\n\nWhile attempting to import an existing object to ${id}, the provider detected that no object exists with the given id.`);
    return ok('Import successful!\n');
  }

  #gcloud(args: readonly string[], options: CommandOptions, flag: (name: string) => string): CommandResult {
    const line = args.join(' ');
    if (line.startsWith('iam workload-identity-pools')) return this.#workloadIdentity(args);
    if (line.startsWith('logging buckets')) return this.#logBucket(args);
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
      return this.objects.has(args[3]!) || this.currentObject(args[3]!) !== undefined
        ? ok(`${args[3]}\n`)
        : failed(`ERROR: (gcloud.storage.objects.describe) The following URLs matched no objects or files:\n${args[3]}`);
    }
    if (line.startsWith('storage cat')) {
      const url = args[2]!;
      const bucket = url.replace(/^(gs:\/\/[^/]+).*$/, '$1');
      if (!this.buckets.has(bucket)) return failed(`ERROR: (gcloud.storage.cat) ${bucket} not found: 404.`);
      const body = this.currentObject(url);
      return body === undefined ? failed(`ERROR: (gcloud.storage.cat) The following URLs matched no objects or files:\n${url}`) : ok(body);
    }
    if (line.startsWith('storage buckets describe')) {
      return this.buckets.has(args[3]!) ? ok(`${args[3]!.slice('gs://'.length)}\n`) : failed(`ERROR: (gcloud.storage.buckets.describe) ${args[3]} not found: 404.`);
    }
    if (line.startsWith('storage ls --all-versions') || line.startsWith('storage rm --all-versions')) {
      const bucket = args[3]!.replace(/\/\*\*$/, '');
      const versions = this.buckets.get(bucket);
      if (versions === undefined) return failed(`ERROR: (gcloud.storage.${args[1]}) ${bucket} not found: 404.`);
      if (versions.length === 0) return failed(`ERROR: (gcloud.storage.${args[1]}) One or more URLs matched no objects.`);
      if (args[1] === 'rm') {
        this.buckets.set(bucket, []);
        return ok();
      }
      return ok(versions.map((version) => `${bucket}/${version.key}#${version.version}\n`).join(''));
    }
    if (line.startsWith('storage rm --recursive')) {
      if (!this.buckets.delete(args[3]!)) return failed(`ERROR: (gcloud.storage.rm) ${args[3]} not found: 404.`);
      return ok();
    }
    if (line.startsWith('artifacts docker images list')) {
      // A repository is there while it holds any image (bootstrap makes it; deploy fills it).
      const repository = args[4]!.replace(/\/[^/]+$/, '/');
      if (![...this.images.keys()].some((tag) => tag.startsWith(repository))) return failed('ERROR: (gcloud.artifacts.docker.images.list) NOT_FOUND: Requested entity was not found.');
      const digests = [...this.images].filter(([tag]) => tag.startsWith(`${args[4]}:`)).map(([, digest]) => digest);
      return ok([...new Set(digests)].map((digest) => `${digest}\n`).join(''));
    }
    if (line.startsWith('artifacts packages delete')) {
      const image = `${flag('--location')}-docker.pkg.dev/${flag('--project')}/${flag('--repository')}/${args[3]}:`;
      const tags = [...this.images.keys()].filter((tag) => tag.startsWith(image));
      if (tags.length === 0) return failed('ERROR: (gcloud.artifacts.packages.delete) NOT_FOUND: Requested entity was not found.');
      for (const tag of tags) this.images.delete(tag);
      return ok();
    }
    if (line.startsWith('run revisions list')) {
      return ok((this.revisions.get(`${flag('--region')}/${flag('--service')}`) ?? []).map((name) => `${name}\n`).join(''));
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

  /** `gcloud logging buckets describe | undelete`, as the Logging API answers them. */
  #logBucket(args: readonly string[]): CommandResult {
    const [verb, id] = [args[2], args[3]!];
    const state = this.logBuckets.get(id);
    const command = `gcloud.logging.buckets.${verb}`;
    if (state === undefined) return failed(`ERROR: (${command}) NOT_FOUND: Bucket \`${id}\` does not exist.`);
    if (verb === 'describe') return ok(`${state}\n`);
    if (verb === 'undelete') {
      if (state !== 'DELETE_REQUESTED') return failed(`ERROR: (${command}) FAILED_PRECONDITION: Bucket is not in DELETE_REQUESTED state.`);
      this.logBuckets.set(id, 'ACTIVE');
      return ok();
    }
    throw new Error(`FakeClouds: no fake for ${command}`);
  }

  /** `gcloud iam workload-identity-pools [providers] describe | undelete`, as the IAM API answers them. */
  #workloadIdentity(args: readonly string[]): CommandResult {
    const providers = args[2] === 'providers';
    const [verb, id] = providers ? [args[3], args[4]] : [args[2], args[3]];
    const pool = args.find((arg) => arg.startsWith('--workload-identity-pool='))?.slice('--workload-identity-pool='.length);
    const key = providers ? `${pool}/${id}` : id!;
    const state = this.workloadIdentity.get(key);
    const command = `gcloud.iam.workload-identity-pools.${providers ? 'providers.' : ''}${verb}`;
    if (state === undefined) return failed(`ERROR: (${command}) NOT_FOUND: Requested entity was not found.`);
    if (verb === 'describe') return ok(`${state}\n`);
    if (verb === 'undelete') {
      if (state !== 'DELETED') return failed(`ERROR: (${command}) FAILED_PRECONDITION: The ${providers ? 'provider' : 'pool'} is not deleted.`);
      this.workloadIdentity.set(key, 'ACTIVE');
      return ok();
    }
    throw new Error(`FakeClouds: no fake for ${command}`);
  }

  #aws(args: readonly string[], options: CommandOptions, flag: (name: string) => string): CommandResult {
    const line = args.join(' ');
    const registry = () => `111122223333.dkr.ecr.${flag('--region')}.amazonaws.com`;
    if (line.startsWith('ecr describe-repositories')) return ok(JSON.stringify({ repositories: [{ repositoryUri: `${registry()}/${flag('--repository-names')}` }] }));
    if (line.startsWith('ecr get-login-password')) return ok('ecr-password\n');
    if (line.startsWith('ecr describe-images')) {
      const [kind, wanted] = flag('--image-ids').split('=') as ['imageTag' | 'imageDigest', string];
      const prefix = `${registry()}/${flag('--repository-name')}:`;
      const found = [...this.ecrImages].find(([image, digest]) => image.startsWith(prefix) && (kind === 'imageTag' ? image === `${prefix}${wanted}` : digest === wanted));
      return found === undefined
        ? failed(`An error occurred (ImageNotFoundException) when calling the DescribeImages operation: The image with imageId {${kind}:'${wanted}'} does not exist within the repository with name '${flag('--repository-name')}' in the registry with id '111122223333'`, 254)
        : ok(JSON.stringify({ imageDetails: [{ imageDigest: found[1] }] }));
    }
    if (/^secretsmanager (get|put)-secret-value/.test(line) && this.#secretState(flag('--secret-id')) === 'scheduled for deletion') {
      const operation = args[1] === 'get-secret-value' ? 'GetSecretValue' : 'PutSecretValue';
      return failed(`An error occurred (InvalidRequestException) when calling the ${operation} operation: You can't perform this operation on the secret because it was marked for deletion.`, 254);
    }
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
      const url = `s3://${flag('--bucket')}/${flag('--key')}`;
      return this.objects.has(url) || this.currentObject(url) !== undefined ? ok('{}') : failed('An error occurred (404) when calling the HeadObject operation: Not Found', 254);
    }
    if (line.startsWith('s3 cp')) {
      const url = args[2]!;
      const body = this.currentObject(url);
      if (body !== undefined) return ok(body);
      const key = url.replace(/^s3:\/\/[^/]+\//, '');
      return failed(`fatal error: An error occurred (404) when calling the HeadObject operation: ${this.buckets.has(url.replace(/^(s3:\/\/[^/]+).*$/, '$1')) ? `Key "${key}" does not exist` : 'Not Found'}`);
    }
    if (line.startsWith('s3api list-object-versions')) {
      const versions = this.buckets.get(`s3://${flag('--bucket')}`);
      if (versions === undefined) return failed('An error occurred (NoSuchBucket) when calling the ListObjectVersions operation: The specified bucket does not exist', 254);
      const latest = (version: FakeObjectVersion) => versions.filter((other) => other.key === version.key).at(-1) === version;
      const listed = (version: FakeObjectVersion) => ({ Key: version.key, VersionId: version.version, IsLatest: latest(version), LastModified: this.clock().toISOString() });
      const objects = versions.filter((version) => version.body !== undefined).map(listed);
      const markers = versions.filter((version) => version.body === undefined).map(listed);
      // The CLI leaves out what S3 did not send: an empty bucket has neither list.
      return ok(JSON.stringify({ ...(objects.length === 0 ? {} : { Versions: objects }), ...(markers.length === 0 ? {} : { DeleteMarkers: markers }), RequestCharged: null }));
    }
    if (line.startsWith('s3api delete-objects')) {
      const bucket = `s3://${flag('--bucket')}`;
      const { Objects } = JSON.parse(options.input!) as { Objects: Array<{ Key: string; VersionId: string }> };
      if (Objects.length > 1000) return failed('An error occurred (MalformedXML) when calling the DeleteObjects operation: The XML you provided was not well-formed or did not validate against our published schema', 254);
      const gone = new Set(Objects.map((object) => `${object.Key}#${object.VersionId}`));
      this.buckets.set(bucket, (this.buckets.get(bucket) ?? []).filter((version) => !gone.has(`${version.key}#${version.version}`)));
      return ok('{}');
    }
    if (line.startsWith('s3api delete-bucket')) {
      const bucket = `s3://${flag('--bucket')}`;
      const versions = this.buckets.get(bucket);
      if (versions === undefined) return failed('An error occurred (NoSuchBucket) when calling the DeleteBucket operation: The specified bucket does not exist', 254);
      if (versions.length > 0) return failed('An error occurred (BucketNotEmpty) when calling the DeleteBucket operation: The bucket you tried to delete is not empty. You must delete all versions in the bucket.', 254);
      this.buckets.delete(bucket);
      return ok();
    }
    if (line.startsWith('logs describe-log-groups')) {
      const region = flag('--region');
      const names = [...this.logGroups].filter((group) => group.startsWith(`${region}:`)).map((group) => group.slice(region.length + 1));
      const logGroups = names.filter((name) => name.includes(flag('--log-group-name-pattern'))).map((logGroupName) => ({ logGroupName, arn: `arn:aws:logs:${region}:123456789012:log-group:${logGroupName}:*` }));
      return ok(JSON.stringify({ logGroups }));
    }
    if (line.startsWith('logs delete-log-group')) {
      return this.logGroups.delete(`${flag('--region')}:${flag('--log-group-name')}`)
        ? ok()
        : failed('An error occurred (ResourceNotFoundException) when calling the DeleteLogGroup operation: The specified log group does not exist.', 254);
    }
    if (line.startsWith('secretsmanager describe-secret')) {
      const name = flag('--secret-id');
      const state = this.#secretState(name);
      if (state === undefined) return failed("An error occurred (ResourceNotFoundException) when calling the DescribeSecret operation: Secrets Manager can't find the specified secret.", 254);
      return ok(JSON.stringify({ ARN: `arn:aws:secretsmanager:${flag('--region')}:123456789012:secret:${name}-AbCdEf`, Name: name, ...(state === 'active' ? {} : { DeletedDate: this.clock().toISOString() }) }));
    }
    if (line.startsWith('secretsmanager restore-secret')) {
      const name = flag('--secret-id');
      if (this.#secretState(name) !== 'scheduled for deletion') {
        return failed("An error occurred (InvalidRequestException) when calling the RestoreSecret operation: You tried to perform the operation on a secret that's currently not marked deleted.", 254);
      }
      this.awsSecretStates.set(name, 'active');
      return ok(JSON.stringify({ Name: name }));
    }
    if (line.startsWith('secretsmanager delete-secret')) {
      const name = flag('--secret-id');
      if (this.#secretState(name) === 'scheduled for deletion') {
        return failed("An error occurred (InvalidRequestException) when calling the DeleteSecret operation: You tried to perform the operation on a secret that's currently marked deleted.", 254);
      }
      if (!args.includes('--force-delete-without-recovery')) {
        if (this.#secretState(name) === undefined) return failed("An error occurred (ResourceNotFoundException) when calling the DeleteSecret operation: Secrets Manager can't find the specified secret.", 254);
        this.awsSecretStates.set(name, 'scheduled for deletion');
        return ok(JSON.stringify({ Name: name, DeletionDate: new Date(this.clock().getTime() + 30 * 86_400_000).toISOString() }));
      }
      // A forced delete of a secret that does not exist is no error (the API reference says so).
      this.awsSecretStates.delete(name);
      this.awsSecrets.delete(name);
      return ok(JSON.stringify({ Name: name, DeletionDate: this.clock().toISOString() }));
    }
    if (line.startsWith('route53 get-health-check-status')) {
      const statuses = this.healthChecks.length > 1 ? this.healthChecks.shift()! : this.healthChecks[0]!;
      const regions = ['us-east-1', 'eu-west-1', 'ap-southeast-1'];
      return ok(JSON.stringify({ HealthCheckObservations: statuses.map((Status, index) => ({ Region: regions[index], StatusReport: { Status } })) }));
    }
    throw new Error(`FakeClouds: no fake for aws ${line}`);
  }

  #secretState(name: string): 'active' | 'scheduled for deletion' | undefined {
    return this.awsSecretStates.get(name) ?? (this.awsSecrets.has(name) ? 'active' : undefined);
  }
}
