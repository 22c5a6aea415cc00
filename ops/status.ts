// `npm run status -- <env> [--json]`: one look at a running environment: which cloud answers the
// failover name, what the Route 53 checkers see, which revisions and versions serve where, and
// which alarms fire. Reads the clouds with the official SDKs and the standard credentials; exits 1
// when something is unhealthy, a release does not match the config, or a cloud could not be read.
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetHealthCheckStatusCommand, Route53Client } from '@aws-sdk/client-route-53';
import { v2 } from '@google-cloud/run';
import { createHash } from 'node:crypto';
import { resolve4 } from 'node:dns/promises';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EnvironmentConfig } from '../stacks/config.js';
import { lambdaFunctionName, resourceName, stackId } from '../stacks/naming.js';
import { Cdktf } from './clouds/cdktf.js';
import { ProcessRunner } from './clouds/command.js';
import { checkerObservations } from './clouds/health-checkers.js';
import { healthOf, type HealthProbe } from './clouds/failover-name.js';
import { contractsServedByClouds, describeShares, namesContract, noContractInCommon, type CloudContract } from './contract/served-by-clouds.js';
import { environmentSnapshots, readReleased, servedFingerprint } from './contract/snapshot-files.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { oneEnvironment, parseCommandLine } from './runner/command-line.js';
import type { UsageError } from './runner/usage-error.js';

/** Where the status is read from: SDK clients and lookups, injectable so tests use the SDKs' own mocks. */
export interface StatusSources {
  /** The A records of a name. */
  readonly resolve4: (name: string) => Promise<string[]>;
  /** `GET <url>` as JSON (the bridge's `/health`). */
  readonly health: (url: string) => Promise<Record<string, unknown>>;
  readonly route53: Route53Client;
  readonly lambda: (region: string) => LambdaClient;
  readonly cloudwatch: (region: string) => CloudWatchClient;
  readonly cloudRun: v2.ServicesClient;
  /** A deployed stack's Terraform outputs. */
  readonly outputs: (stack: string) => Promise<Record<string, unknown>>;
  /** `GET /health` of the failover name's URL, connecting straight to an address: each cloud's own answer. */
  readonly healthAt: HealthProbe;
  /**
   * The contracts each cloud's answers are compared with: this checkout's snapshots' fingerprint
   * (`contracts/<env>/`) and the one released to all traffic (`released.json`).
   * @default - none: each cloud's contract is shown, not compared
   */
  readonly contract?: { readonly snapshots?: string; readonly released?: string };
  /**
   * How many times each cloud's `/health` is asked: a canary's traffic shares answer in proportion.
   * @default 6
   */
  readonly contractSamples?: number;
  /**
   * The base64 SHA-256 of the Lambda bundle this checkout builds (what `source_code_hash`, and so
   * Lambda's CodeSha256, is), to tell whether AWS runs it.
   * @default - not compared
   */
  readonly bundleSha256?: string;
}

/** A part of the status that could not be read: the cloud's words, and the permission it names if any. */
export interface ReadError {
  readonly error: string;
}

/** What `npm run status` found. */
export interface EnvironmentStatus {
  readonly environment: string;
  readonly failoverName: { readonly name: string; readonly addresses: readonly string[]; readonly answeredBy?: string; readonly version?: string; readonly region?: string } | ReadError;
  readonly healthChecks: ReadonlyArray<{ readonly label: string; readonly checkers: ReadonlyArray<{ readonly region: string; readonly healthy: boolean; readonly status: string }> } | (ReadError & { readonly label: string })>;
  readonly cloudRun: ReadonlyArray<
    | { readonly region: string; readonly traffic: ReadonlyArray<{ readonly revision: string; readonly percent: number; readonly tag?: string }>; readonly image: string; readonly matchesConfig: boolean }
    | (ReadError & { readonly region: string })
  >;
  readonly lambda: ReadonlyArray<
    | {
        readonly region: string;
        readonly version: string;
        readonly weights: Readonly<Record<string, number>>;
        readonly codeSha256: string;
        /** Whether the live version runs this checkout's bundle (when it was built here). */
        readonly matchesBuild?: boolean;
        /** An image function's image digest (`sha256:…`, as Lambda resolved it), and whether it is the one the config names (and Cloud Run runs). */
        readonly image?: { readonly digest: string; readonly matchesConfig: boolean };
      }
    | (ReadError & { readonly region: string })
  >;
  readonly alarms: ReadonlyArray<{ readonly region: string; readonly firing: readonly string[] } | (ReadError & { readonly region: string })>;
  /** Dashboards, from the stacks' outputs. */
  readonly dashboards: readonly string[];
  /**
   * The contract each cloud serves, from its own `/health` (asked several times, so each traffic
   * share of a canary shows), and what it is compared with.
   */
  readonly contracts: {
    readonly clouds: ReadonlyArray<CloudContract | (ReadError & { readonly cloud: string })>;
    readonly snapshots?: string;
    readonly released?: string;
  };
}

/** An SDK error in words, naming the missing permission when the cloud says which. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const aws = /not authorized to perform: ([\w:-]+)/.exec(message);
  if (aws !== null) return `missing permission ${aws[1]}: ${message}`;
  const google = /Permission '([\w.]+)' denied/.exec(message);
  if (google !== null) return `missing permission ${google[1]}: ${message}`;
  return message;
}

const settle = async <T>(read: () => Promise<T>): Promise<T | ReadError> => {
  try {
    return await read();
  } catch (error) {
    return { error: describeError(error) };
  }
};

/** Reads the status of an environment. Nothing is changed anywhere. */
export async function readStatus(env: EnvironmentConfig, sources: StatusSources): Promise<EnvironmentStatus> {
  const name = resourceName(env.name);
  const edge = await sources.outputs(stackId(env.name, 'edge')).catch(() => ({}) as Record<string, unknown>);
  const gcp = await sources.outputs(stackId(env.name, 'gcp')).catch(() => ({}) as Record<string, unknown>);

  const failoverName = await settle(async () => {
    const addresses = await sources.resolve4(env.domainName);
    const health = await sources.health(`https://${env.domainName}/health`).catch(() => ({}) as Record<string, unknown>);
    return {
      name: env.domainName,
      addresses,
      ...(typeof health.platform === 'string' ? { answeredBy: health.platform } : {}),
      ...(typeof health.version === 'string' ? { version: health.version } : {}),
      ...(typeof health.region === 'string' ? { region: health.region } : {}),
    };
  });

  const checkIds: Array<[string, unknown]> = [
    ['primary (Cloud Run)', edge['primary-health-check-id']],
    ...(env.aws.regions.length > 1 ? env.aws.regions.map((region): [string, unknown] => [`secondary ${region}`, edge[`aws-${region}-health-check-id`]]) : []),
  ];
  const healthChecks = await Promise.all(
    checkIds.map(async ([label, id]) => {
      if (typeof id !== 'string') return { label, error: `no health check id in the ${stackId(env.name, 'edge')} outputs: is it deployed?` };
      const read = await settle(async () => {
        return checkerObservations(await sources.route53.send(new GetHealthCheckStatusCommand({ HealthCheckId: id })));
      });
      return 'error' in read ? { label, ...read } : { label, checkers: read };
    }),
  );

  // Set the client up first, where a failure (no credentials) is caught: the client's own calls set it
  // up in a promise nobody awaits, so a failure there would end the process.
  const cloudRunReady = await settle(async () => {
    await sources.cloudRun.initialize();
    return { ready: true };
  });
  const cloudRun = await Promise.all(
    env.gcp.regions.map(async (region) => {
      if ('error' in cloudRunReady) return { region, error: cloudRunReady.error };
      const read = await settle(async () => {
        const [service] = await sources.cloudRun.getService({ name: `projects/${env.gcp.project}/locations/${region}/services/${name}` });
        return {
          traffic: (service.trafficStatuses ?? []).map((target) => ({
            revision: target.revision || String(service.latestReadyRevision ?? '').split('/').pop() || 'latest',
            percent: target.percent ?? 0,
            ...(target.tag ? { tag: target.tag } : {}),
          })),
          image: service.template?.containers?.[0]?.image ?? 'unknown',
        };
      });
      return 'error' in read ? { region, ...read } : { region, ...read, matchesConfig: read.image === env.image };
    }),
  );

  const lambda = await Promise.all(
    env.aws.regions.map(async (region) => {
      const read = await settle(async () => {
        const client = sources.lambda(region);
        const alias = await client.send(new GetAliasCommand({ FunctionName: lambdaFunctionName(env), Name: 'live' }));
        const configuration = await client.send(new GetFunctionConfigurationCommand({ FunctionName: lambdaFunctionName(env), Qualifier: alias.FunctionVersion }));
        const codeSha256 = configuration.CodeSha256 ?? 'unknown';
        // An image function names its image only in GetFunction's Code (ResolvedImageUri: the digest Lambda pulled).
        const image =
          configuration.PackageType === 'Image'
            ? (await client.send(new GetFunctionCommand({ FunctionName: lambdaFunctionName(env), Qualifier: alias.FunctionVersion }))).Code?.ResolvedImageUri?.split('@')[1] ?? 'unknown'
            : undefined;
        return {
          ...(image === undefined ? {} : { image: { digest: image, matchesConfig: image === env.image.slice(env.image.indexOf('@') + 1) } }),
          version: alias.FunctionVersion ?? 'unknown',
          weights: alias.RoutingConfig?.AdditionalVersionWeights ?? {},
          codeSha256,
          ...(sources.bundleSha256 === undefined ? {} : { matchesBuild: codeSha256 === sources.bundleSha256 }),
        };
      });
      return { region, ...read };
    }),
  );

  const alarms = await Promise.all(
    [...new Set([...env.aws.regions, 'us-east-1'])].map(async (region) => {
      const read = await settle(async () => {
        const { MetricAlarms = [] } = await sources.cloudwatch(region).send(new DescribeAlarmsCommand({ AlarmNamePrefix: name, StateValue: 'ALARM' }));
        return { firing: MetricAlarms.map((alarm) => alarm.AlarmName ?? 'unnamed') };
      });
      return { region, ...read };
    }),
  );

  const dashboards = [gcp['dashboard-url'], edge['dashboard-url']].filter((url): url is string => typeof url === 'string');
  return { environment: env.name, failoverName, healthChecks, cloudRun, lambda, alarms, dashboards, contracts: await readContracts(env, sources) };
}

/** What each cloud's own `/health` says it serves, and what it is compared with. */
async function readContracts(env: EnvironmentConfig, sources: StatusSources): Promise<EnvironmentStatus['contracts']> {
  const compared = { ...(sources.contract?.snapshots === undefined ? {} : { snapshots: sources.contract.snapshots }), ...(sources.contract?.released === undefined ? {} : { released: sources.contract.released }) };
  const clouds = await settle(() => contractsServedByClouds(env, { route53: sources.route53, healthAt: sources.healthAt, ...(sources.contractSamples === undefined ? {} : { samples: sources.contractSamples }) }));
  if ('error' in clouds) return { clouds: [{ cloud: 'both clouds', error: `the failover records: ${clouds.error}` }], ...compared };
  return { clouds, ...compared };
}

/** What is wrong, one line each; empty when the environment is healthy and runs one release. */
export function problems(status: EnvironmentStatus): string[] {
  const found: string[] = [];
  const errors = (section: string, entries: ReadonlyArray<object>) => {
    for (const entry of entries) if ('error' in entry) found.push(`${section}${'region' in entry ? ` ${String(entry.region)}` : ''}${'label' in entry ? ` ${String(entry.label)}` : ''}: could not read: ${String((entry as ReadError).error)}`);
  };
  if ('error' in status.failoverName) found.push(`failover name: could not read: ${status.failoverName.error}`);
  else if (status.failoverName.answeredBy === 'lambda') found.push(`failover name: answered by AWS (lambda): the primary is failed over`);
  errors('health check', status.healthChecks);
  for (const check of status.healthChecks) {
    if ('checkers' in check && check.checkers.filter((checker) => checker.healthy).length * 2 <= check.checkers.length) {
      found.push(`health check ${check.label}: ${check.checkers.filter((checker) => !checker.healthy).length} of ${check.checkers.length} checkers see it unhealthy`);
    }
  }
  errors('Cloud Run', status.cloudRun);
  for (const service of status.cloudRun) if ('matchesConfig' in service && !service.matchesConfig) found.push(`Cloud Run ${service.region}: runs ${service.image}, not the config's image`);
  errors('Lambda', status.lambda);
  const code = new Set(status.lambda.flatMap((fn) => ('codeSha256' in fn ? [fn.codeSha256] : [])));
  if (code.size > 1) found.push(`Lambda: the regions run different code (${[...code].join(', ')})`);
  for (const fn of status.lambda) if ('image' in fn && fn.image !== undefined && !fn.image.matchesConfig) found.push(`Lambda ${fn.region}: runs image ${fn.image.digest}, not the config's (the digest Cloud Run runs)`);
  for (const fn of status.lambda) if ('matchesBuild' in fn && fn.matchesBuild === false && !('image' in fn && fn.image !== undefined)) found.push(`Lambda ${fn.region}: live runs code ${fn.codeSha256}, not this checkout's bundle`);
  errors('alarms', status.alarms);
  for (const region of status.alarms) if ('firing' in region && region.firing.length > 0) found.push(`alarms ${region.region}: firing: ${region.firing.join(', ')}`);
  found.push(...contractProblems(status.contracts));
  return found;
}


/** What is wrong with the contracts the clouds serve: a cloud that cannot be asked, clouds that serve different ones, one that is neither the checkout's nor the released. */
function contractProblems(contracts: EnvironmentStatus['contracts']): string[] {
  const found: string[] = [];
  const read = contracts.clouds.flatMap((cloud) => ('served' in cloud ? [cloud] : []));
  for (const cloud of contracts.clouds) if ('error' in cloud) found.push(`contract ${cloud.cloud}: could not read: ${cloud.error}`);
  for (const cloud of read) {
    const unanswered = cloud.served.filter(({ fingerprint }) => !namesContract(fingerprint));
    if (unanswered.length > 0) found.push(`contract ${cloud.cloud}: /health at ${cloud.address} did not name a contract: ${unanswered.map(({ fingerprint }) => fingerprint).join(', ')}`);
  }
  const disjoint = noContractInCommon(read);
  if (disjoint !== undefined) found.push(`contract: ${disjoint}`);
  const known = [contracts.snapshots, contracts.released].filter((fingerprint) => fingerprint !== undefined);
  if (known.length > 0) {
    for (const cloud of read) {
      for (const { fingerprint } of cloud.served.filter((served) => namesContract(served.fingerprint) && !known.includes(served.fingerprint))) {
        found.push(`contract ${cloud.cloud}: serves ${fingerprint}, neither this checkout's snapshots nor the released contract (deployed from another commit?)`);
      }
    }
  }
  return found;
}

/** The status as a readable report: a label column, then what was found (or why it could not be read). */
export function renderStatus(status: EnvironmentStatus): string {
  const lines = [`status of ${status.environment}`, ''];
  const row = (label: string, entry: object, found: () => string) =>
    lines.push(`${label.padEnd(23)} ${'error' in entry ? `could not read: ${String(entry.error)}` : found()}`);
  const failover = status.failoverName;
  row('failover name', failover, () => {
    const answer = failover as Exclude<typeof failover, ReadError>;
    return `${answer.name} → ${answer.addresses.join(', ') || '(no answer)'}; /health answered by ${answer.answeredBy ?? '?'} ${answer.version ?? ''} ${answer.region ?? ''}`.trimEnd();
  });
  for (const check of status.healthChecks) {
    // Several checks share the label column: each names itself, whether it could be read or not.
    row('health check', {}, () =>
      'checkers' in check
        ? `${check.label}: ${check.checkers.map((checker) => `${checker.region} ${checker.healthy ? 'healthy' : 'UNHEALTHY'}`).join(', ')}`
        : `${check.label}: could not read: ${check.error}`,
    );
  }
  for (const service of status.cloudRun) {
    row(`Cloud Run ${service.region}`, service, () =>
      'traffic' in service
        ? `${service.traffic.map((target) => `${target.revision} ${target.percent}%${target.tag ? ` (${target.tag})` : ''}`).join(', ')}; image ${service.matchesConfig ? 'as in config' : `${service.image} (NOT the config's)`}`
        : '',
    );
  }
  for (const fn of status.lambda) {
    row(`Lambda ${fn.region}`, fn, () => {
      if (!('weights' in fn)) return '';
      const weights = Object.entries(fn.weights).map(([version, weight]) => `, version ${version} ${Math.round(weight * 100)}%`).join('');
      if (fn.image !== undefined) return `live → version ${fn.version}${weights}; image ${fn.image.digest}${fn.image.matchesConfig ? ' (as in config, as Cloud Run)' : " (NOT the config's)"}`;
      const build = fn.matchesBuild === undefined ? '' : fn.matchesBuild ? " (this checkout's bundle)" : " (NOT this checkout's bundle)";
      return `live → version ${fn.version}${weights}; code ${fn.codeSha256}${build}`;
    });
  }
  for (const region of status.alarms) {
    row(`alarms ${region.region}`, region, () => ('firing' in region ? (region.firing.length === 0 ? 'none firing' : `FIRING: ${region.firing.join(', ')}`) : ''));
  }
  for (const cloud of status.contracts.clouds) {
    const label = (fingerprint: string) => [fingerprint === status.contracts.snapshots ? 'as in contracts/' : undefined, fingerprint === status.contracts.released ? 'released' : undefined].filter(Boolean).join(', ');
    row(`contract ${cloud.cloud}`, cloud, () => ('served' in cloud ? describeShares(cloud, label) : ''));
  }
  for (const url of status.dashboards) row('dashboard', {}, () => url);
  const found = problems(status);
  lines.push('', found.length === 0 ? 'healthy, one release on both clouds' : `problems:\n  ${found.join('\n  ')}`);
  return lines.join('\n');
}

export const USAGE = `usage: npm run status -- <environment> [--json]

Which cloud answers the failover name, what the Route 53 checkers see, which revisions and Lambda
versions serve where (and whether they match the config), which alarms fire, and where the
dashboards are. Exit 1 when something is unhealthy, a release does not match, or a cloud could not
be read (the message names a missing permission). Credentials come from the standard places.`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseStatusArgs(args: readonly string[]): { environment: string; json: boolean; help: boolean } {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', json: false, help: true };
  return { environment: oneEnvironment(positionals), json: values.json, help: false };
}

/**
 * The base64 SHA-256 of the Lambda bundle the last synth put in a stack (`source_code_hash` is
 * `filebase64sha256` of that zip, and Lambda reports the same as CodeSha256): what applying this
 * checkout would run. Nothing when the stack has not been synthesized here.
 */
export function synthesizedBundleSha256(stackDirectory: string): { bundleSha256?: string } {
  const template = `${stackDirectory}/cdk.tf.json`;
  if (!existsSync(template)) return {};
  const functions = Object.values((JSON.parse(readFileSync(template, 'utf8')) as { resource?: { aws_lambda_function?: Record<string, { filename?: string }> } }).resource?.aws_lambda_function ?? {});
  const zip = functions[0]?.filename === undefined ? undefined : `${stackDirectory}/${functions[0].filename}`;
  return zip !== undefined && existsSync(zip) ? { bundleSha256: createHash('sha256').update(readFileSync(zip)).digest('base64') } : {};
}

/** The fingerprints of this checkout's snapshots of an environment and of its released contract, where they exist. */
function checkoutContract(env: EnvironmentConfig): { snapshots?: string; released?: string } {
  const released = readReleased(process.cwd(), env.name);
  let snapshots: string | undefined;
  try {
    snapshots = servedFingerprint(environmentSnapshots(env, process.cwd()));
  } catch {
    // No snapshots here: each cloud's contract is shown, not compared with them.
  }
  return { ...(snapshots === undefined ? {} : { snapshots }), ...(released === undefined ? {} : { released: released.fingerprint }) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('status', USAGE, () => parseStatusArgs(process.argv.slice(2)), async (command) => {
    const env = loadEnvironment(command.environment, environmentsFilePath());
    const cdktf = new Cdktf(new ProcessRunner());
    const status = await readStatus(env, {
      resolve4,
      health: async (url) => (await (await fetch(url, { signal: AbortSignal.timeout(10_000) })).json()) as Record<string, unknown>,
      route53: new Route53Client({ region: 'us-east-1' }),
      lambda: (region) => new LambdaClient({ region }),
      cloudwatch: (region) => new CloudWatchClient({ region }),
      cloudRun: new v2.ServicesClient(),
      outputs: (stack) => cdktf.outputs(stack),
      healthAt: (url, address) => healthOf(url, { ...(address === undefined ? {} : { address }), timeoutMs: 10_000 }),
      contract: checkoutContract(env),
      ...synthesizedBundleSha256(`cdktf.out/stacks/${stackId(env.name, 'aws')}`),
    });
    console.log(command.json ? JSON.stringify({ ...status, problems: problems(status) }, null, 2) : renderStatus(status));
    return problems(status).length === 0 ? 0 : 1;
  });
}
