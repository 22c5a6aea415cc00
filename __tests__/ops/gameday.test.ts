// `npm run gameday` without a cloud: Route 53 and CloudWatch through aws-sdk-client-mock, whose
// fake health check flips a fake world (checkers, name servers, resolver, alarm) when inverted; the
// real bridge as the primary and the local Lambda as the secondary, behind a local proxy standing
// for the failover name; the project's own MCP client calling through it. Tiny real intervals.
import { DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetHealthCheckCommand, GetHealthCheckStatusCommand, ListResourceRecordSetsCommand, UpdateHealthCheckCommand } from '@aws-sdk/client-route-53';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Route53Client } from '@aws-sdk/client-route-53';
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileURLToPath } from 'node:url';
import { healthOf } from '../../ops/clouds/failover-name.js';
import { contractIn, environmentSnapshots, snapshotOf } from '../../ops/contract/snapshot-files.js';
import { routeConsidersHealthy } from '../../ops/clouds/health-checkers.js';
import { Route53Failover } from '../../ops/clouds/route53.js';
import { parseGameDayArgs, runGameDay } from '../../ops/gameday.js';
import { abortableSleep, abortOnSignals } from '../../ops/gameday/interruption.js';
import type { GameDayContext } from '../../ops/gameday/context.js';
import { renderReport } from '../../ops/gameday/report.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { ALARM_NAME, AWS_TARGET, FakeFailoverWorld, HEALTH_CHECK_ID, mockAwsFor, NAME_SERVERS, PRIMARY_ADDRESS, startFailoverProxy } from '../support/fake-failover.js';
import { startLocalLambda } from '../support/local-lambda.js';
import { startTestServer, type TestServer } from '../support/node-server.js';
import { exampleEnvironments } from '../support/synth.js';

const staging = exampleEnvironments().find((env) => env.name === 'staging')!;
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const production = exampleEnvironments().find((env) => env.name === 'production')!;
const TOKEN = 'gameday-test-token-0123456789';
const DIGEST = createHash('sha256').update(TOKEN).digest('hex');
/** A loopback port nothing listens on: a cloud that does not answer. */
const NOWHERE = 'http://127.0.0.1:9';

const world = new FakeFailoverWorld();
const aws = mockAwsFor(world);
let primary: TestServer;
let secondary: { url: string; close: () => Promise<void> };
let proxy: { url: string; close: () => Promise<void> };

beforeAll(async () => {
  primary = await startTestServer({ K_SERVICE: 'mcp-bridge-staging', MCP_REGION: 'europe-west1', MCP_AUTH_MODE: 'token', MCP_TOKEN_SHA256: DIGEST });
  vi.stubEnv('MCP_AUTH_MODE', 'token');
  vi.stubEnv('MCP_TOKEN_SHA256', DIGEST);
  secondary = await startLocalLambda();
  proxy = await startFailoverProxy(world, primary.url, secondary.url);
});
afterAll(async () => {
  await proxy.close();
  await primary.close();
  await secondary.close();
});
beforeEach(() => {
  world.reset();
  aws.arm();
});

/** A game day context over the fakes: every address of the fake zone leads to a local server. */
function context(overrides: Partial<GameDayContext> & { directTo?: Record<string, string> } = {}) {
  const { directTo = {}, ...rest } = overrides;
  const servers: Record<string, string> = { [PRIMARY_ADDRESS]: primary.url, [AWS_TARGET]: secondary.url, ...directTo };
  const lines: string[] = [];
  const asked: Array<string | undefined> = [];
  const gameDay: GameDayContext = {
    env: staging,
    confirmProduction: false,
    route53: new Route53Client({ region: 'us-east-1' }),
    cloudwatch: (region) => new CloudWatchClient({ region }),
    outputs: async (stack) => (stack === 'staging-edge' ? { 'primary-health-check-id': HEALTH_CHECK_ID, 'primary-alarm-name': ALARM_NAME } : {}),
    resolve: async (name, nameServer) => {
      if (name !== staging.domainName) throw Object.assign(new Error(`queryA ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
      return world.resolve(nameServer);
    },
    health: (url, address) => {
      asked.push(address);
      return healthOf(new URL(url.pathname, address === undefined ? proxy.url : (servers[address] ?? NOWHERE)), { timeoutMs: 2_000 });
    },
    baseUrl: proxy.url,
    token: TOKEN,
    contract: environmentSnapshots(staging, ROOT),
    timing: { timeoutMs: 5_000, intervalMs: 20, clientIntervalMs: 20, requestTimeoutMs: 2_000 },
    now: () => Date.now(),
    sleep: abortableSleep,
    signal: new AbortController().signal,
    progress: (line) => lines.push(line),
    output: { progress: (line) => lines.push(line), result: (line) => lines.push(line) },
    ...rest,
  };
  return { gameDay, lines, asked };
}

/** The Inverted values of the UpdateHealthCheck calls, in order. */
const updates = () => aws.route53.commandCalls(UpdateHealthCheckCommand).map((call) => call.args[0].input.Inverted);

describe('npm run gameday (Route 53 and CloudWatch through aws-sdk-client-mock)', () => {
  it('fails over to AWS and back while a real MCP client calls through the name, and reports each phase (table and JSON)', async () => {
    const { gameDay, lines, asked } = context();
    const report = (await runGameDay(gameDay))!;

    expect(updates()).toEqual([true, false]);
    expect(aws.route53.commandCalls(UpdateHealthCheckCommand)[0]!.args[0].input).toEqual({ HealthCheckId: HEALTH_CHECK_ID, Inverted: true });
    expect(world.inverted).toBe(false);
    expect(asked).toEqual(expect.arrayContaining([PRIMARY_ADDRESS, AWS_TARGET]));

    const { failover, recovery } = report;
    expect(failover.phases.map((phase) => phase.phase)).toEqual(['detect', 'DNS flip (authoritative)', 'DNS flip (resolver)', 'serving from AWS']);
    expect(recovery.phases.map((phase) => phase.phase)).toEqual(['detect (healthy again)', 'DNS back (authoritative)', 'DNS back (resolver)', 'serving from Cloud Run']);
    for (const way of [failover, recovery]) {
      expect(way.complete).toBe(true);
      const [detect, authoritative, resolver, serving] = way.phases.map((phase) => phase.seconds!);
      // Each phase no sooner than the fake world shows it, and in the order Route 53 plays them.
      expect(detect).toBeGreaterThanOrEqual(0.12);
      expect(authoritative).toBeGreaterThanOrEqual(0.16);
      expect(resolver).toBeGreaterThanOrEqual(0.24);
      expect(serving).toBeGreaterThanOrEqual(0.24);
      expect(serving).toBeLessThan(5);
      expect(way.client.calls).toBeGreaterThan(0);
      expect(way.client.failures).toEqual([]);
    }
    expect(failover.phases[3]!.seen).toBe('/health answered by lambda (eu-west-1)');
    expect(recovery.phases[3]!.seen).toBe('/health answered by cloud-run (europe-west1)');
    expect(failover.phases[1]!.seen).toBe('all 2 name servers answer 203.0.113.10, 203.0.113.11');
    expect(report.alarm).toMatchObject({ name: ALARM_NAME, region: 'us-east-1', fired: true });
    expect(report.alarm.firedSeconds).toBeGreaterThanOrEqual(0.1);
    expect(report.alarm.firedSeconds).toBeLessThan(1);
    expect(report.problems).toEqual([]);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmHistoryCommand)[0]!.args[0].input).toMatchObject({ AlarmName: ALARM_NAME, HistoryItemType: 'StateUpdate', StartDate: new Date(Date.parse(failover.startedAt)) });

    const table = renderReport(report);
    expect(table).toMatch(/^failover \(from \d{4}-\d\d-\d\dT[\d:.]+Z, wait up to 5 s\)$/m);
    expect(table).toMatch(/^ {2}detect {21}\+\d\.\d s {5}0 of 3 checkers report healthy$/m);
    expect(table).toMatch(/^ {2}detect \(healthy again\) {5}\+\d\.\d s {5}3 of 3 checkers report healthy$/m);
    expect(table).toMatch(/^ {2}DNS flip \(resolver\) {8}\+\d\.\d s {5}the system's resolver answers 203\.0\.113\.10, 203\.0\.113\.11$/m);
    expect(table).toMatch(/^ {2}serving from Cloud Run {5}\+\d\.\d s {5}\/health answered by cloud-run \(europe-west1\)$/m);
    expect(table).toMatch(/^ {2}client errors {14}0 {10}of \d+ MCP calls$/m);
    expect(table).toMatch(/^expected alarm: mcp-bridge-staging-failover-alarms-primary-unhealthy \(us-east-1\): fired \+0\.\d s after the induce, OK again \+0\.\d s after the restore$/m);
    expect(table.split('\n').at(-1)).toBe('passed: clients moved to AWS and back without a failed call, and the alarm fired');

    // --json prints the same data.
    expect(JSON.parse(JSON.stringify(report))).toMatchObject({
      environment: 'staging',
      failoverName: 'mcp.staging.example.com',
      healthCheckId: HEALTH_CHECK_ID,
      primary: PRIMARY_ADDRESS,
      secondaries: [AWS_TARGET],
      failover: { complete: true, timeoutSeconds: 5, phases: [{ phase: 'detect', seconds: expect.any(Number), seen: '0 of 3 checkers report healthy' }, {}, {}, {}], client: { failures: [] } },
      recovery: { complete: true },
      alarm: { fired: true },
      problems: [],
    });

    // Every step said what it did, in order, and the waits printed their progress.
    const outcomes = lines.filter((line) => /^\[\d+\/17\] .*\(\d+\.\d s, /.test(line));
    expect(outcomes.map((line) => line.replace(/^\[(\d+)\/17\] ([^:]+):[\s\S]*$/, '$1 $2'))).toEqual([
      '1 production needs a confirmation',
      '2 no drill through Terraform',
      '3 the environment is deployed',
      '4 restore a check left inverted',
      '5 the failover records',
      '6 the way back after that restore',
      '7 both clouds answer /health',
      '8 the name answers with the primary',
      '9 no alarm is firing',
      '10 an MCP client works through the name',
      '11 the contract through the name, on Cloud Run',
      '12 induce the failover',
      '13 measure the failover',
      '14 the contract through the name, on AWS',
      '15 restore the health check',
      '16 measure the recovery',
      '17 the expected alarm',
    ]);
    // Each cloud's contract, from its own /health and through the name, is the snapshots'.
    const builtin = environmentSnapshots(staging, ROOT)[0]!;
    expect(lines).toContainEqual(
      expect.stringMatching(/^\[7\/17\] both clouds answer \/health: Cloud Run: cloud-run europe-west1, AWS: lambda .*\ncontract Cloud Run: sha256:[0-9a-f]{12}… \(6 of 6 answers; as in contracts\/staging\/\)\ncontract AWS: sha256:[0-9a-f]{12}… \(6 of 6 answers; as in contracts\/staging\/\)/),
    );
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[11/17\\] the contract through the name, on Cloud Run: builtin ${builtin.fingerprint.slice(0, 19)}…: as in its snapshot`)));
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^\\[14/17\\] the contract through the name, on AWS: builtin ${builtin.fingerprint.slice(0, 19)}…: as in its snapshot`)));
    expect(lines).toContainEqual(expect.stringMatching(/^\[4\/17\] restore a check left inverted: already done \(the health check is not inverted\), skipped/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}failover \+\d\.\d s of at most 5\.0 s: checkers \d\/3 healthy; name servers \d\/2 on AWS; resolver .*; \/health .*; client \d+ calls, 0 failed$/));
    expect(lines).toContainEqual(expect.stringMatching(/^ {2}recovery \+\d\.\d s: serving from Cloud Run: \/health answered by cloud-run/));
  });

  it('records every failed client call in its window, with its time and error, and reports it as a problem', async () => {
    // The name answers /mcp with 503 from 20 ms to 220 ms after the induce: inside the failover's window.
    world.blackout = { afterMs: 20, forMs: 200 };
    const report = (await runGameDay(context().gameDay))!;
    const { failures, calls } = report.failover.client;
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure.seconds).toBeGreaterThanOrEqual(0);
      expect(failure.call).toMatch(/^(initialize|tools\/list|tools\/call process_data)$/);
      expect(failure.error).toBe('Error POSTing to endpoint: switching (HTTP 503)');
    }
    expect(report.problems).toContain(`failover: ${failures.length} of ${calls} MCP client calls failed`);
    const first = failures[0]!;
    expect(renderReport(report)).toContain(`\n${' '.repeat(29)}+${first.seconds.toFixed(1)} s     ${first.call}: ${first.error}\n`);
  });

  it('waits no longer than the timeout and reports what it did not see, and an alarm that did not fire', async () => {
    world.delays.resolverMs = Number.POSITIVE_INFINITY;
    aws.cloudwatch.on(DescribeAlarmHistoryCommand).resolves({ AlarmHistoryItems: [] });
    const { gameDay } = context({ timing: { timeoutMs: 500, intervalMs: 20, clientIntervalMs: 50, requestTimeoutMs: 2_000 } });
    const started = Date.now();
    const report = (await runGameDay(gameDay))!;
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(report.failover.complete).toBe(false);
    expect(report.failover.phases.map((phase) => phase.seconds === undefined)).toEqual([false, false, true, true]);
    expect(report.recovery.complete).toBe(true);
    expect(updates()).toEqual([true, false]);
    expect(report.problems).toEqual([
      'failover: not seen within 0.5 s: DNS flip (resolver), serving from AWS',
      `alarm: ${ALARM_NAME} (us-east-1) did not fire`,
    ]);
    const table = renderReport(report);
    expect(table).toMatch(/^ {2}serving from AWS {11}not seen {3}$/m);
    expect(table).toContain(`expected alarm: ${ALARM_NAME} (us-east-1): did NOT fire`);
  });

  it('restores the check when a measurement step fails, and says so', async () => {
    const denied = Object.assign(new Error('User: arn:aws:sts::123456789012:assumed-role/operator/me is not authorized to perform: route53:GetHealthCheckStatus'), { name: 'AccessDenied' });
    aws.route53.on(GetHealthCheckStatusCommand).rejects(denied);
    const failure = runGameDay(context().gameDay);
    await expect(failure).rejects.toThrow(/^\[13\/17\] measure the failover failed:\n {2}User: .* not authorized to perform: route53:GetHealthCheckStatus\nnext: .*\nthe health check hc-primary was restored \(Inverted: false\)/);
    expect(updates()).toEqual([true, false]);
    expect(world.inverted).toBe(false);
  });

  it('restores the check on Ctrl-C in the middle of the failover, then fails', async () => {
    const interruption = new AbortController();
    const signals = new EventEmitter();
    const said: string[] = [];
    const stop = abortOnSignals(interruption, (line) => said.push(line), signals);
    aws.route53.on(UpdateHealthCheckCommand, { Inverted: true }).callsFake(async () => {
      world.inverted = true;
      setTimeout(() => signals.emit('SIGINT', 'SIGINT'), 100);
      return { HealthCheck: { Id: HEALTH_CHECK_ID, CallerReference: 'x', HealthCheckVersion: 2, HealthCheckConfig: { Type: 'HTTPS', Inverted: true } } };
    });
    const { gameDay } = context({ signal: interruption.signal });
    await expect(runGameDay(gameDay)).rejects.toThrow(/^\[13\/17\] measure the failover failed:\n {2}interrupted \(SIGINT\)\n[\s\S]*the health check hc-primary was restored \(Inverted: false\)/);
    stop();
    expect(said).toEqual(['gameday: SIGINT: stopping; the health check is restored first']);
    expect(updates()).toEqual([true, false]);
    expect(world.inverted).toBe(false);
  });

  it('says how to restore the check by hand when it cannot restore it', async () => {
    aws.route53.on(GetHealthCheckStatusCommand).rejects(new Error('Rate exceeded'));
    aws.route53.on(UpdateHealthCheckCommand, { Inverted: false }).rejects(new Error('Rate exceeded'));
    await expect(runGameDay(context().gameDay)).rejects.toThrow(
      /measure the failover failed:[\s\S]*Rate exceeded[\s\S]*\nthe health check hc-primary could NOT be restored: Rate exceeded\nrestore it now: aws route53 update-health-check --health-check-id hc-primary --no-inverted$/,
    );
  });

  it('a re-run first restores a check left inverted, waits for the way back, then runs the game day', async () => {
    world.reset(true);
    const { gameDay, lines } = context();
    const report = (await runGameDay(gameDay))!;
    expect(updates()).toEqual([false, true, false]);
    expect(lines).toContainEqual(expect.stringMatching(/^\[4\/17\] restore a check left inverted: health check hc-primary was inverted \(by an interrupted game day, or by hand\): restored it to Inverted: false, as Terraform has it \(/));
    expect(lines).toContainEqual(expect.stringMatching(/^\[6\/17\] the way back after that restore: the name answers with Cloud Run again \(\d+\.\d s\)/));
    expect(report.failover.complete && report.recovery.complete).toBe(true);
  });

  it('a re-run does not touch a check that failoverDrill inverts through Terraform', async () => {
    world.reset(true);
    await expect(runGameDay(context({ env: { ...staging, failoverDrill: true } }).gameDay)).rejects.toThrow(
      /^\[2\/17\] no drill through Terraform failed:\n {2}failoverDrill is true in the config of staging: Terraform inverts the health check itself, and a game day would fight it\nnext: set failoverDrill to false, deploy staging-edge/,
    );
    expect(updates()).toEqual([]);
  });

  it.each<[string, () => ReturnType<typeof context>, RegExp]>([
    ['production without --confirm-production', () => context({ env: production }), /^\[1\/17\] production needs a confirmation failed:\n {2}production is a production environment: .*\nnext: tell whoever is on call, then run npm run gameday -- production --confirm-production$/],
    ['an environment not deployed', () => context({ outputs: async () => ({}) }), /^\[3\/17\] the environment is deployed failed:\n {2}the staging-edge stack has no primary-health-check-id output: staging is not deployed/],
    ['Cloud Run not answering /health', () => context({ directTo: { [PRIMARY_ADDRESS]: NOWHERE } }), /^\[7\/17\] both clouds answer \/health failed:\n {2}Cloud Run at 198\.51\.100\.7: \/health answered unreachable \(connect ECONNREFUSED 127\.0\.0\.1:9\), not cloud-run\n/],
    ['AWS not answering /health', () => context({ directTo: { [AWS_TARGET]: NOWHERE } }), /^\[7\/17\] both clouds answer \/health failed:\n {2}AWS at d-abc123\.execute-api\.eu-west-1\.amazonaws\.com: \/health answered unreachable .*, not lambda\n/],
    [
      'a name that does not resolve to the primary',
      () => context({ resolve: async (_name, nameServer) => (nameServer === undefined ? ['192.0.2.1'] : [PRIMARY_ADDRESS]) }),
      /^\[8\/17\] the name answers with the primary failed:\n {2}mcp\.staging\.example\.com does not lead to the primary \(198\.51\.100\.7\):\n {2}the system's resolver answers 192\.0\.2\.1\n/,
    ],
    ['an MCP client without its token', () => context({ token: undefined }), /^\[10\/17\] an MCP client works through the name failed:\n {2}staging authenticates MCP clients \(auth mode token\) and MCP_SMOKE_TOKEN is not set\n/],
    [
      'a contract through the name other than the snapshots',
      () => {
        const [builtin] = environmentSnapshots(staging, ROOT);
        return context({ contract: [snapshotOf('builtin', { ...contractIn(builtin!), tools: builtin!.tools.filter((tool) => tool.name !== 'health_check') })] });
      },
      /^\[11\/17\] the contract through the name, on Cloud Run failed:\n {2}on Cloud Run, clients see another contract than contracts\/staging\/:\n {2}builtin sha256:[0-9a-f]{12}…, not its snapshot's sha256:[0-9a-f]{12}…: tool health_check: tool added\n/,
    ],
  ])('refuses %s before inverting anything', async (_case, make, message) => {
    await expect(runGameDay(make().gameDay)).rejects.toThrow(message);
    expect(updates()).toEqual([]);
  });

  it('refuses clouds that serve different contracts before inverting anything: the failover would change the tools under clients\' feet', async () => {
    const otherContract = createServer((_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', platform: 'lambda', region: 'eu-west-1', contract: { fingerprint: `sha256:${'e'.repeat(64)}` } })));
    await new Promise<void>((resolve) => otherContract.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(otherContract.address() as AddressInfo).port}`;
      await expect(runGameDay(context({ directTo: { [AWS_TARGET]: url } }).gameDay)).rejects.toThrow(
        new RegExp(`^\\[7/17\\] both clouds answer /health failed:\n {2}the clouds serve no contract in common, so a failover changes the tools under clients' feet: Cloud Run sha256:[0-9a-f]{64}, AWS sha256:e{64}\n`),
      );
      expect(updates()).toEqual([]);
    } finally {
      otherContract.close();
    }
  });

  it('refuses while an alarm is firing, naming it and its region', async () => {
    aws.cloudwatch.on(DescribeAlarmsCommand).callsFake(async (_input, getClient: () => CloudWatchClient) => {
      const region = await getClient().config.region();
      return { MetricAlarms: region === 'eu-west-1' ? [{ AlarmName: 'mcp-bridge-staging-lambda-errors' }] : [] };
    });
    await expect(runGameDay(context().gameDay)).rejects.toThrow(/^\[9\/17\] no alarm is firing failed:\n {2}alarms are firing: mcp-bridge-staging-lambda-errors \(eu-west-1\)\n/);
    expect(aws.cloudwatch.commandCalls(DescribeAlarmsCommand).map((call) => call.args[0].input)).toEqual([
      { AlarmNamePrefix: 'mcp-bridge-staging', StateValue: 'ALARM' },
      { AlarmNamePrefix: 'mcp-bridge-staging', StateValue: 'ALARM' },
    ]);
    expect(updates()).toEqual([]);
  });

  it('goes ahead with a production environment given --confirm-production', async () => {
    const { gameDay, lines } = context({ env: production, confirmProduction: true, outputs: async () => ({}) });
    await expect(runGameDay(gameDay)).rejects.toThrow(/^\[3\/17\] the environment is deployed failed/);
    expect(lines).toContainEqual(expect.stringMatching(/^\[1\/17\] production needs a confirmation: production is production, and --confirm-production was given/));
  });

  it('asks the name servers of the zone directly, and the resolver, with the failover name', async () => {
    const questions: Array<[string, string | undefined]> = [];
    const { gameDay } = context({
      resolve: async (name, nameServer) => {
        questions.push([name, nameServer]);
        return world.resolve(nameServer);
      },
    });
    await runGameDay(gameDay);
    expect(new Set(questions.map(([name, nameServer]) => `${name} ${nameServer ?? 'resolver'}`))).toEqual(new Set([...NAME_SERVERS, 'resolver'].map((server) => `mcp.staging.example.com ${server}`)));
  });

  it('prints the plan of a dry run and touches nothing', async () => {
    const { gameDay, lines } = context();
    expect(await runGameDay(gameDay, { dryRun: true })).toBeUndefined();
    expect(lines).toHaveLength(17);
    expect(lines[11]).toBe('[12/17] induce the failover: aws route53 update-health-check --health-check-id <primary-health-check-id> --inverted; the MCP client starts its rounds');
    expect(aws.route53.calls()).toHaveLength(0);
    expect(aws.cloudwatch.calls()).toHaveLength(0);
  });
});

describe('the Route 53 calls of a game day (through aws-sdk-client-mock)', () => {
  const failover = () => new Route53Failover(new Route53Client({ region: 'us-east-1' }));
  const latencySet = (region: string, target: string) => ({ Name: 'aws.mcp.staging.example.com.', Type: 'A' as const, SetIdentifier: `aws-${region}`, Region: region as never, AliasTarget: { HostedZoneId: 'ZLY8HYME6SFDD', DNSName: `${target}.`, EvaluateTargetHealth: false } });

  /** The zone's failover records with a SECONDARY leading to a latency set of eu-west-1 and us-east-1 (and `more` records beside them). */
  const twoRegionRecords = (primaryTtl: number, more: object[] = []) => {
    aws.route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'mcp.staging.example.com' }).resolves({
      ResourceRecordSets: [
        { Name: 'mcp.staging.example.com.', Type: 'A', Failover: 'PRIMARY', TTL: primaryTtl, ResourceRecords: [{ Value: PRIMARY_ADDRESS }], HealthCheckId: HEALTH_CHECK_ID, SetIdentifier: 'primary-gcp' },
        { Name: 'mcp.staging.example.com.', Type: 'A', Failover: 'SECONDARY', SetIdentifier: 'secondary-aws', AliasTarget: { HostedZoneId: 'Z0EXAMPLE00000000STG', DNSName: 'aws.mcp.staging.example.com.', EvaluateTargetHealth: true } },
      ],
    } as never);
    aws.route53.on(ListResourceRecordSetsCommand, { StartRecordName: 'aws.mcp.staging.example.com' }).resolves({
      ResourceRecordSets: [latencySet('eu-west-1', AWS_TARGET), latencySet('us-east-1', 'd-def456.execute-api.us-east-1.amazonaws.com'), ...more],
    } as never);
  };

  it('follows the SECONDARY alias into the latency set of several AWS regions', async () => {
    twoRegionRecords(30, [{ Name: 'eu-west-1.mcp.staging.example.com.', Type: 'A', AliasTarget: { HostedZoneId: 'Z1', DNSName: 'x.', EvaluateTargetHealth: false } }]);
    expect(await failover().failoverRecords('Z0EXAMPLE00000000STG', 'mcp.staging.example.com')).toEqual({
      primary: { address: PRIMARY_ADDRESS, ttlSeconds: 30, healthCheckId: HEALTH_CHECK_ID },
      secondaries: [
        { region: 'eu-west-1', target: AWS_TARGET },
        { region: 'us-east-1', target: 'd-def456.execute-api.us-east-1.amazonaws.com' },
      ],
    });
  });

  it('probes every AWS region straight, and names the one that does not answer', async () => {
    twoRegionRecords(60);
    await expect(runGameDay(context().gameDay)).rejects.toThrow(/^\[7\/17\] both clouds answer \/health failed:\n {2}AWS us-east-1 at d-def456\.execute-api\.us-east-1\.amazonaws\.com: \/health answered unreachable .*, not lambda\nnext:/);
    expect(updates()).toEqual([]);
  });

  it('refuses a zone whose PRIMARY record uses another health check than the edge stack declares', async () => {
    aws.route53.on(GetHealthCheckCommand, { HealthCheckId: 'hc-other' }).resolves({ HealthCheck: { Id: 'hc-other', CallerReference: 'x', HealthCheckVersion: 1, HealthCheckConfig: { Type: 'HTTPS', Inverted: false } } });
    await expect(runGameDay(context({ outputs: async () => ({ 'primary-health-check-id': 'hc-other' }) }).gameDay)).rejects.toThrow(
      /^\[5\/17\] the failover records failed:\n {2}the PRIMARY record of mcp\.staging\.example\.com uses health check hc-primary, not hc-other from the staging-edge outputs\n/,
    );
  });

  it('counts a check unhealthy as Route 53 does: 18% of the checkers or fewer healthy', async () => {
    const observations = (healthy: number, total: number) => ({
      HealthCheckObservations: Array.from({ length: total }, (_, index) => ({ Region: 'us-east-1' as const, StatusReport: { Status: index < healthy ? 'Success: HTTP Status Code 200, OK' : 'Failure: Connection timed out' } })),
    });
    aws.route53.on(GetHealthCheckStatusCommand).resolvesOnce(observations(1, 6)).resolvesOnce(observations(1, 5)).resolvesOnce(observations(0, 0));
    expect(await failover().checkers(HEALTH_CHECK_ID)).toEqual({ healthy: 1, total: 6, considersHealthy: false });
    expect(await failover().checkers(HEALTH_CHECK_ID)).toEqual({ healthy: 1, total: 5, considersHealthy: true });
    expect(await failover().checkers(HEALTH_CHECK_ID)).toEqual({ healthy: 0, total: 0, considersHealthy: false });
    expect(routeConsidersHealthy(9, 50)).toBe(false);
    expect(routeConsidersHealthy(10, 50)).toBe(true);
  });

  it('does not take an update for done unless Route 53 answers with the state asked for', async () => {
    aws.route53.on(UpdateHealthCheckCommand).resolves({ HealthCheck: { Id: HEALTH_CHECK_ID, CallerReference: 'x', HealthCheckVersion: 3, HealthCheckConfig: { Type: 'HTTPS', Inverted: true } } });
    await expect(failover().setInverted(HEALTH_CHECK_ID, false)).rejects.toThrow('Route 53 answered the update of health check hc-primary with Inverted: true, not false');
  });
});

describe('the failover name seen from here', () => {
  it('probes /health at a chosen address, keeping the name as Host (as the Route 53 checker does)', async () => {
    const server = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', platform: 'cloud-run', region: req.headers.host })));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      expect(await healthOf(new URL(`http://mcp.staging.example.com:${port}/health`), { address: '127.0.0.1' })).toEqual({ platform: 'cloud-run', detail: `mcp.staging.example.com:${port}` });
      expect(await healthOf(new URL(`http://127.0.0.1:${port}/nowhere`), { address: '127.0.0.1', timeoutMs: 1_000 })).toEqual({ platform: 'cloud-run', detail: `127.0.0.1:${port}` });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await healthOf(new URL(`http://127.0.0.1:${port}/health`))).toMatchObject({ platform: 'unreachable', detail: expect.stringMatching(/ECONNREFUSED/) });
  });
});

describe('Ctrl-C during a game day', () => {
  it('aborts on the first SIGINT or SIGTERM, and only says to wait on the next, until the handlers are removed', () => {
    const controller = new AbortController();
    const signals = new EventEmitter();
    const said: string[] = [];
    const stop = abortOnSignals(controller, (line) => said.push(line), signals);
    signals.emit('SIGTERM', 'SIGTERM');
    expect(controller.signal.aborted).toBe(true);
    expect((controller.signal.reason as Error).message).toBe('interrupted (SIGTERM)');
    signals.emit('SIGINT', 'SIGINT');
    expect(said).toEqual(['gameday: SIGTERM: stopping; the health check is restored first', 'gameday: SIGINT again: still restoring the health check; wait for it']);
    stop();
    expect(signals.listenerCount('SIGINT') + signals.listenerCount('SIGTERM')).toBe(0);
  });

  it('wakes a sleep at once with the interruption as its error', async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort(new Error('interrupted (SIGINT)'));
    await expect(sleeping).rejects.toThrow('interrupted (SIGINT)');
  });
});

describe('the gameday command line', () => {
  it('reads the environment and the flags, with their defaults', () => {
    expect(parseGameDayArgs(['staging'])).toEqual({ environment: 'staging', json: false, confirmProduction: false, dryRun: false, intervalSeconds: 5, clientIntervalSeconds: 1, help: false });
    expect(parseGameDayArgs(['production', '--confirm-production', '--json', '--dry-run', '--timeout', '600', '--interval', '2.5', '--client-interval', '0.5'])).toEqual({
      environment: 'production',
      json: true,
      confirmProduction: true,
      dryRun: true,
      timeoutSeconds: 600,
      intervalSeconds: 2.5,
      clientIntervalSeconds: 0.5,
      help: false,
    });
    expect(parseGameDayArgs(['--help']).help).toBe(true);
  });

  it.each<[string[], RegExp]>([
    [[], /name the environment to run a game day on/],
    [['staging', 'production'], /one environment at a time/],
    [['staging', '--force'], /Unknown option '--force'/],
    [['staging', '--timeout', '10'], /--timeout 10: seconds, a whole number from 30 to 3600/],
    [['staging', '--timeout', '90.5'], /--timeout 90\.5: seconds, a whole number/],
    [['staging', '--interval', '0'], /--interval 0: seconds, from 1 to 60/],
    [['staging', '--client-interval', 'fast'], /--client-interval fast: seconds, from 0\.1 to 60/],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseGameDayArgs(args)).toThrowError(UsageError);
    expect(() => parseGameDayArgs(args)).toThrowError(message);
  });
});
