// `npm run status` against the clouds' SDKs with their own mocking support (no cloud is reachable
// from here): aws-sdk-client-mock for Route 53, Lambda and CloudWatch; for Cloud Run, the Google
// client's own stub point (its `innerApiCalls`, which the library's generated tests stub too).
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetAliasCommand, GetFunctionCommand, GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { GetHealthCheckStatusCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { v2 } from '@google-cloud/run';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseStatusArgs, problems, readStatus, renderStatus, type StatusSources } from '../../ops/status.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { exampleEnvironments } from '../support/synth.js';

const staging = exampleEnvironments().find((env) => env.name === 'staging')!;
const route53 = mockClient(Route53Client);
const lambda = mockClient(LambdaClient);
const cloudwatch = mockClient(CloudWatchClient);

const SUCCESS = 'Success: HTTP Status Code 200, OK';
/** The contracts the fakes serve: this checkout's snapshots' (as released), and a new one. */
const CURRENT = `sha256:${'a'.repeat(64)}`;
const NEXT = `sha256:${'b'.repeat(64)}`;
const LOAD_BALANCER = '34.120.0.1';
const API_DOMAIN = 'd-abc123.execute-api.eu-west-1.amazonaws.com';
/** A `/health` by address: each cloud answers with the contracts given, in turn (a canary's shares). */
const answering = (contracts: Record<string, string[]>): StatusSources['healthAt'] => {
  const asked = new Map<string, number>();
  return async (_url, address) => {
    const turn = asked.get(address!) ?? 0;
    asked.set(address!, turn + 1);
    const served = contracts[address!];
    if (served === undefined) return { platform: 'unreachable', detail: 'connect ECONNREFUSED' };
    return { platform: address === LOAD_BALANCER ? 'cloud-run' : 'lambda', contract: served[turn % served.length]! };
  };
};
const checkers = (...statuses: string[]) => ({
  HealthCheckObservations: statuses.map((status, index) => ({ Region: (['us-east-1', 'eu-west-1', 'ap-southeast-1'] as const)[index], StatusReport: { Status: status } })),
});

/** A Cloud Run client whose getService answers from `services` (by region), through the library's own stub point. */
async function cloudRunAnswering(services: Record<string, object | Error>): Promise<v2.ServicesClient> {
  const client = new v2.ServicesClient({ credentials: { client_email: 'status-test@example.iam.gserviceaccount.com', private_key: 'unused' }, projectId: 'example-mcp-staging' });
  await client.initialize();
  client.innerApiCalls.getService = (async (request: { name: string }) => {
    const answer = services[request.name.split('/')[3]!];
    if (answer instanceof Error) throw answer;
    return [answer];
  }) as never;
  return client;
}

const servingConfig = (traffic: object[] = [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100, revision: 'mcp-bridge-staging-a1b2c3d4e5' }], image = staging.image) => ({
  trafficStatuses: traffic,
  latestReadyRevision: 'projects/example-mcp-staging/locations/europe-west1/services/mcp-bridge-staging/revisions/mcp-bridge-staging-a1b2c3d4e5',
  template: { containers: [{ image }] },
});

async function sources(overrides: Partial<StatusSources> & { cloudRunServices?: Record<string, object | Error> } = {}): Promise<StatusSources> {
  const { cloudRunServices = { 'europe-west1': servingConfig() }, ...rest } = overrides;
  return {
    resolve4: async () => [LOAD_BALANCER],
    healthAt: answering({ [LOAD_BALANCER]: [CURRENT], [API_DOMAIN]: [CURRENT] }),
    contract: { snapshots: CURRENT, released: CURRENT },
    health: async () => ({ status: 'ok', platform: 'cloud-run', version: '0.1.0', region: 'europe-west1' }),
    route53: new Route53Client({ region: 'us-east-1' }),
    lambda: (region) => new LambdaClient({ region }),
    cloudwatch: (region) => new CloudWatchClient({ region }),
    cloudRun: await cloudRunAnswering(cloudRunServices),
    outputs: async (stack) =>
      stack === 'staging-edge'
        ? { 'primary-health-check-id': 'hc-primary', 'dashboard-url': 'https://console.aws.amazon.com/cloudwatch/home#dashboards/dashboard/mcp-bridge-staging' }
        : { 'dashboard-url': 'https://console.cloud.google.com/monitoring/dashboards/builder/123?project=example-mcp-staging' },
    ...rest,
  };
}

beforeEach(() => {
  for (const mock of [route53, lambda, cloudwatch]) mock.reset();
  route53.on(GetHealthCheckStatusCommand).resolves(checkers(SUCCESS, SUCCESS, SUCCESS));
  lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '12' });
  lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: 'q1w2e3=' });
  cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  route53.on(ListResourceRecordSetsCommand).resolves({
    ResourceRecordSets: [
      { Name: 'mcp.staging.example.com.', Type: 'A', SetIdentifier: 'primary-gcp', Failover: 'PRIMARY', TTL: 60, ResourceRecords: [{ Value: LOAD_BALANCER }], HealthCheckId: 'hc-primary' },
      { Name: 'mcp.staging.example.com.', Type: 'A', SetIdentifier: 'secondary-aws', Failover: 'SECONDARY', AliasTarget: { HostedZoneId: 'ZLY8HYME6SFDD', DNSName: `${API_DOMAIN}.`, EvaluateTargetHealth: true } },
    ],
  });
});

describe('npm run status', () => {
  it('reports a healthy environment: Cloud Run answering, checkers green, one release, no alarm, the dashboards', async () => {
    const status = await readStatus(staging, await sources());
    expect(problems(status)).toEqual([]);
    const report = renderStatus(status);
    expect(report).toContain('failover name           mcp.staging.example.com → 34.120.0.1; /health answered by cloud-run 0.1.0 europe-west1');
    expect(report).toContain('health check            primary (Cloud Run): us-east-1 healthy, eu-west-1 healthy, ap-southeast-1 healthy');
    expect(report).toContain('Cloud Run europe-west1  mcp-bridge-staging-a1b2c3d4e5 100%; image as in config');
    expect(report).toContain('Lambda eu-west-1        live → version 12; code q1w2e3=');
    expect(report).toContain('alarms us-east-1        none firing');
    expect(report).toContain('dashboard               https://console.cloud.google.com/monitoring/dashboards/builder/123?project=example-mcp-staging');
    expect(report.split('\n').at(-1)).toBe('healthy, one release on both clouds');
    expect(route53.commandCalls(GetHealthCheckStatusCommand)[0]!.args[0].input).toEqual({ HealthCheckId: 'hc-primary' });
    expect(lambda.commandCalls(GetFunctionConfigurationCommand)[0]!.args[0].input).toEqual({ FunctionName: 'mcp-bridge-staging', Qualifier: '12' });
    expect(cloudwatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input).toEqual({ AlarmNamePrefix: 'mcp-bridge-staging', StateValue: 'ALARM' });
  });

  it("shows an image function's digest beside Cloud Run's, and names a Lambda that runs another one (aws-sdk-client-mock)", async () => {
    const digest = staging.image.slice(staging.image.indexOf('@') + 1);
    const ecr = '111122223333.dkr.ecr.eu-west-1.amazonaws.com/mcp-bridge-staging';
    lambda.on(GetFunctionConfigurationCommand).resolves({ CodeSha256: digest.slice('sha256:'.length), PackageType: 'Image' });
    lambda.on(GetFunctionCommand).resolves({ Code: { ImageUri: `${ecr}@${digest}`, ResolvedImageUri: `${ecr}@${digest}` } });
    const same = await readStatus(staging, await sources());
    expect(problems(same)).toEqual([]);
    expect(renderStatus(same)).toContain(`Lambda eu-west-1        live → version 12; image ${digest} (as in config, as Cloud Run)`);
    expect(lambda.commandCalls(GetFunctionCommand)[0]!.args[0].input).toEqual({ FunctionName: 'mcp-bridge-staging', Qualifier: '12' });

    const other = `sha256:${'9'.repeat(64)}`;
    lambda.on(GetFunctionCommand).resolves({ Code: { ResolvedImageUri: `${ecr}@${other}` } });
    expect(problems(await readStatus(staging, await sources()))).toEqual([`Lambda eu-west-1: runs image ${other}, not the config's (the digest Cloud Run runs)`]);
  });

  it('reports a failed-over environment: AWS answering, the primary check red, the alarm firing', async () => {
    route53.on(GetHealthCheckStatusCommand).resolves(checkers('Failure: Connection timed out', 'Failure: Connection timed out', SUCCESS));
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [{ AlarmName: 'mcp-bridge-staging-failover-alarms-primary-unhealthy' }] });
    const status = await readStatus(staging, await sources({ health: async () => ({ platform: 'lambda', version: '0.1.0', region: 'eu-west-1' }) }));
    expect(problems(status)).toEqual([
      'failover name: answered by AWS (lambda): the primary is failed over',
      'health check primary (Cloud Run): 2 of 3 checkers see it unhealthy',
      'alarms eu-west-1: firing: mcp-bridge-staging-failover-alarms-primary-unhealthy',
      'alarms us-east-1: firing: mcp-bridge-staging-failover-alarms-primary-unhealthy',
    ]);
    expect(renderStatus(status)).toContain('primary (Cloud Run): us-east-1 UNHEALTHY, eu-west-1 UNHEALTHY, ap-southeast-1 healthy');
  });

  it('shows a canary in progress on both clouds as a split, not a problem', async () => {
    lambda.on(GetAliasCommand).resolves({ Name: 'live', FunctionVersion: '12', RoutingConfig: { AdditionalVersionWeights: { '13': 0.1 } } });
    const traffic = [
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-0123456789', percent: 90 },
      { type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION', revision: 'mcp-bridge-staging-a1b2c3d4e5', percent: 10, tag: 'canary' },
    ];
    const status = await readStatus(staging, await sources({ cloudRunServices: { 'europe-west1': servingConfig(traffic) } }));
    expect(problems(status)).toEqual([]);
    const report = renderStatus(status);
    expect(report).toContain('mcp-bridge-staging-0123456789 90%, mcp-bridge-staging-a1b2c3d4e5 10% (canary)');
    expect(report).toContain('live → version 12, version 13 10%');
  });

  it('reports a release that does not match: Cloud Run on another image, AWS regions on different code', async () => {
    const twoRegions = { ...staging, aws: { region: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] } };
    lambda.on(GetFunctionConfigurationCommand).callsFake(async function (this: unknown, input: { Qualifier: string }) {
      return { CodeSha256: input.Qualifier === '12' ? 'q1w2e3=' : 'other=' };
    });
    lambda.on(GetAliasCommand).callsFake(async () => ({ Name: 'live', FunctionVersion: String(12 + lambda.commandCalls(GetAliasCommand).length - 1) }));
    const outputs = async () => ({ 'primary-health-check-id': 'hc-primary', 'aws-eu-west-1-health-check-id': 'hc-eu', 'aws-us-east-1-health-check-id': 'hc-us' });
    const status = await readStatus(twoRegions, await sources({ outputs, cloudRunServices: { 'europe-west1': servingConfig(undefined, staging.image.replace(/0{64}$/, 'f'.repeat(64))) } }));
    expect(problems(status)).toEqual([
      `Cloud Run europe-west1: runs ${staging.image.replace(/0{64}$/, 'f'.repeat(64))}, not the config's image`,
      'Lambda: the regions run different code (q1w2e3=, other=)',
    ]);
  });

  it('names the missing permission when a cloud refuses, and still reports the rest', async () => {
    const denied = Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/viewer/me is not authorized to perform: route53:GetHealthCheckStatus on resource: arn:aws:route53:::healthcheck/hc-primary'), { name: 'AccessDenied' });
    route53.on(GetHealthCheckStatusCommand).rejects(denied);
    const googleDenied = new Error("7 PERMISSION_DENIED: Permission 'run.services.get' denied on resource 'projects/example-mcp-staging/locations/europe-west1/services/mcp-bridge-staging' (or it may not exist).");
    const status = await readStatus(staging, await sources({ cloudRunServices: { 'europe-west1': googleDenied } }));
    expect(problems(status)).toEqual([
      expect.stringMatching(/^health check primary \(Cloud Run\): could not read: missing permission route53:GetHealthCheckStatus: User: /),
      expect.stringMatching(/^Cloud Run europe-west1: could not read: missing permission run\.services\.get: 7 PERMISSION_DENIED/),
    ]);
    const report = renderStatus(status);
    expect(report).toContain('Lambda eu-west-1        live → version 12; code q1w2e3=');
    expect(report).toMatch(/^health check            primary \(Cloud Run\): could not read: missing permission route53:GetHealthCheckStatus/m);
    expect(report).toMatch(/^Cloud Run europe-west1  could not read: missing permission run\.services\.get/m);
  });

  it('tells whether AWS runs this checkout\'s Lambda bundle, and reads every AWS region\'s health check', async () => {
    const twoRegions = { ...staging, aws: { region: 'eu-west-1', regions: ['eu-west-1', 'us-east-1'] } };
    const outputs = async (stack: string) => (stack === 'staging-edge' ? { 'primary-health-check-id': 'hc-primary', 'aws-eu-west-1-health-check-id': 'hc-eu', 'aws-us-east-1-health-check-id': 'hc-us' } : {});
    const status = await readStatus(twoRegions, await sources({ outputs, bundleSha256: 'built-here=' }));
    expect(route53.commandCalls(GetHealthCheckStatusCommand).map((call) => call.args[0].input.HealthCheckId)).toEqual(['hc-primary', 'hc-eu', 'hc-us']);
    expect(problems(status)).toEqual([
      "Lambda eu-west-1: live runs code q1w2e3=, not this checkout's bundle",
      "Lambda us-east-1: live runs code q1w2e3=, not this checkout's bundle",
    ]);
    expect(renderStatus(status)).toContain("health check            secondary us-east-1: us-east-1 healthy, eu-west-1 healthy, ap-southeast-1 healthy");
  });

  it('reports Google credentials that cannot be found as a Cloud Run problem, and does not end the process', async () => {
    const client = new v2.ServicesClient({ projectId: 'example-mcp-staging' });
    client.initialize = async () => {
      throw new Error('Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.');
    };
    const status = await readStatus(staging, await sources({ cloudRun: client }));
    expect(problems(status)).toEqual(['Cloud Run europe-west1: could not read: Could not load the default credentials. Browse to https://cloud.google.com/docs/authentication/getting-started for more information.']);
  });

  it('says when the edge stack has not been deployed (no health check to read)', async () => {
    const status = await readStatus(staging, await sources({ outputs: async () => ({}) }));
    expect(problems(status)).toContain('health check primary (Cloud Run): could not read: no health check id in the staging-edge outputs: is it deployed?');
  });

  it.each<[string[], RegExp]>([
    [[], /name the environment/],
    [['staging', '--yaml'], /Unknown option '--yaml'/],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseStatusArgs(args)).toThrowError(UsageError);
    expect(() => parseStatusArgs(args)).toThrowError(message);
  });
});

describe('the bundle status compares Lambda with', () => {
  it('GIVEN a synthesized aws stack, THEN the SHA-256 of the zip its function names (what applying this checkout runs); nothing without one', async () => {
    const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
    const { createHash } = await import('node:crypto');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { synthesizedBundleSha256 } = await import('../../ops/status.js');
    const stack = mkdtempSync(join(tmpdir(), 'status-stack-'));
    try {
      expect(synthesizedBundleSha256(stack)).toEqual({});
      mkdirSync(join(stack, 'assets/bundle'), { recursive: true });
      writeFileSync(join(stack, 'assets/bundle/lambda.zip'), 'zip bytes');
      writeFileSync(join(stack, 'cdk.tf.json'), JSON.stringify({ resource: { aws_lambda_function: { bridge: { filename: 'assets/bundle/lambda.zip' } } } }));
      expect(synthesizedBundleSha256(stack)).toEqual({ bundleSha256: createHash('sha256').update('zip bytes').digest('base64') });
    } finally {
      rmSync(stack, { recursive: true, force: true });
    }
  });
});

describe('npm run status: the contract each cloud serves (Route 53 records through aws-sdk-client-mock, /health by address through a recording fake)', () => {
  it("shows each cloud's fingerprint from its own /health, and what it is", async () => {
    const asked: Array<string | undefined> = [];
    const healthAt = answering({ [LOAD_BALANCER]: [CURRENT], [API_DOMAIN]: [CURRENT] });
    const status = await readStatus(staging, await sources({ healthAt: (url, address) => (asked.push(`${url.href} ${address}`), healthAt(url, address)) }));
    expect(problems(status)).toEqual([]);
    const report = renderStatus(status);
    expect(report).toContain(`contract Cloud Run      ${CURRENT.slice(0, 19)}… (6 of 6 answers; as in contracts/, released)`);
    expect(report).toContain(`contract AWS            ${CURRENT.slice(0, 19)}… (6 of 6 answers; as in contracts/, released)`);
    // Each cloud at its own address, with the failover name's URL (its TLS name and Host).
    expect(new Set(asked)).toEqual(new Set([`https://mcp.staging.example.com/health ${LOAD_BALANCER}`, `https://mcp.staging.example.com/health ${API_DOMAIN}`]));
  });

  it("shows each traffic share of a canary on both clouds, the new contract as this checkout's and the old as released", async () => {
    const status = await readStatus(
      staging,
      await sources({ contract: { snapshots: NEXT, released: CURRENT }, healthAt: answering({ [LOAD_BALANCER]: [CURRENT, CURRENT, NEXT], [API_DOMAIN]: [CURRENT] }) }),
    );
    // The samples missed AWS's canary share: the clouds still have the stable contract in common.
    expect(problems(status)).toEqual([]);
    expect(renderStatus(status)).toContain(`contract Cloud Run      ${CURRENT.slice(0, 19)}… (4 of 6 answers; released), ${NEXT.slice(0, 19)}… (2 of 6 answers; as in contracts/)`);
  });

  it('calls it a problem when the clouds serve different contracts, or one neither the checkout nor the release has', async () => {
    const stranger = `sha256:${'c'.repeat(64)}`;
    const status = await readStatus(staging, await sources({ healthAt: answering({ [LOAD_BALANCER]: [NEXT], [API_DOMAIN]: [stranger] }), contract: { snapshots: NEXT, released: CURRENT } }));
    expect(problems(status)).toEqual([
      `contract: the clouds serve no contract in common, so a failover changes the tools under clients' feet: Cloud Run ${NEXT}, AWS ${stranger}`,
      `contract AWS: serves ${stranger}, neither this checkout's snapshots nor the released contract (deployed from another commit?)`,
    ]);
    const json = JSON.parse(JSON.stringify(status));
    expect(json.contracts.clouds.map((cloud: { cloud: string; served: Array<{ fingerprint: string }> }) => [cloud.cloud, cloud.served[0]!.fingerprint])).toEqual([['Cloud Run', NEXT], ['AWS', stranger]]);
  });

  it('names a cloud whose /health does not answer, and failover records it cannot read', async () => {
    const down = await readStatus(staging, await sources({ healthAt: answering({ [LOAD_BALANCER]: [CURRENT] }) }));
    expect(problems(down)).toContain(`contract AWS: /health at ${API_DOMAIN} did not name a contract: (unreachable: connect ECONNREFUSED)`);
    route53.on(ListResourceRecordSetsCommand).rejects(new Error('User: arn:aws:sts::1:assumed-role/plan is not authorized to perform: route53:ListResourceRecordSets'));
    const unread = await readStatus(staging, await sources());
    expect(problems(unread)).toContain('contract both clouds: could not read: the failover records: missing permission route53:ListResourceRecordSets: User: arn:aws:sts::1:assumed-role/plan is not authorized to perform: route53:ListResourceRecordSets');
  });
});
