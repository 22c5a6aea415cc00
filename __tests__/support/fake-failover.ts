import { CloudWatchClient, DescribeAlarmHistoryCommand, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  UpdateHealthCheckCommand,
} from '@aws-sdk/client-route-53';
import { mockClient } from 'aws-sdk-client-mock';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The primary's address in the fake zone (TEST-NET-2). */
export const PRIMARY_ADDRESS = '198.51.100.7';
/** The API Gateway regional domain the SECONDARY alias leads to. */
export const AWS_TARGET = 'd-abc123.execute-api.eu-west-1.amazonaws.com';
/** What the zone answers for the failover name while the secondary serves (TEST-NET-3). */
export const SECONDARY_ADDRESSES = ['203.0.113.10', '203.0.113.11'];
/** The zone's name servers. */
export const NAME_SERVERS = ['ns-101.awsdns-12.com', 'ns-202.awsdns-25.net'];
export const HEALTH_CHECK_ID = 'hc-primary';
export const ALARM_NAME = 'mcp-bridge-staging-failover-alarms-primary-unhealthy';

/** How long after a change of the check each part of the fake world shows it, in milliseconds. */
export interface WorldDelays {
  /** The checkers report the new status. */
  checkersMs: number;
  /** The name servers answer the new record. */
  nameServersMs: number;
  /** The resolver's cached answer expires (the TTL): it, and the proxy standing for the name, follow. */
  resolverMs: number;
  /** CloudWatch moves the alarm. */
  alarmMs: number;
}

/**
 * The failover as Route 53 plays it, in small: the primary's health check (its Inverted flag, kept
 * by the aws-sdk-client-mock fakes of UpdateHealthCheck and GetHealthCheck), and what the checkers,
 * the name servers, the resolver and the alarm show a while after each change of that flag.
 */
export class FakeFailoverWorld {
  readonly changes: Array<{ readonly at: number; readonly inverted: boolean }> = [];
  delays: WorldDelays = { checkersMs: 120, nameServersMs: 160, resolverMs: 240, alarmMs: 100 };
  /**
   * When, after the check is inverted, the proxy answers `/mcp` with 503, and for how long, in
   * milliseconds (a client's calls failing while traffic moves, in small).
   * @default - never
   */
  blackout: { readonly afterMs: number; readonly forMs: number } | undefined = undefined;

  constructor(private initiallyInverted = false) {}

  /** Starts over: the check inverted or not since long ago, the default delays, no blackout. */
  reset(inverted = false): void {
    this.changes.length = 0;
    this.initiallyInverted = inverted;
    this.delays = { checkersMs: 120, nameServersMs: 160, resolverMs: 240, alarmMs: 100 };
    this.blackout = undefined;
  }

  /** Whether the check is inverted now. */
  get inverted(): boolean {
    return this.changes.at(-1)?.inverted ?? this.initiallyInverted;
  }

  /** Inverts the check, or restores it (what UpdateHealthCheck does). */
  set inverted(inverted: boolean) {
    if (inverted !== this.inverted) this.changes.push({ at: Date.now(), inverted });
  }

  /** Whether a part that lags `delayMs` behind the check shows it inverted now (the state `delayMs` ago). */
  showsInverted(delayMs: number): boolean {
    const then = Date.now() - delayMs;
    return [...this.changes].reverse().find((change) => change.at <= then)?.inverted ?? this.initiallyInverted;
  }

  /** Whether the proxy standing for the name answers `/mcp` with 503 now (see {@link blackout}). */
  inBlackout(): boolean {
    const { blackout } = this;
    const now = Date.now();
    return blackout !== undefined && this.changes.some((change) => change.inverted && now >= change.at + blackout.afterMs && now < change.at + blackout.afterMs + blackout.forMs);
  }

  /** The A records of the failover name, from a name server or from the resolver. */
  resolve(nameServer?: string): string[] {
    const inverted = this.showsInverted(nameServer === undefined ? this.delays.resolverMs : this.delays.nameServersMs);
    return inverted ? [...SECONDARY_ADDRESSES] : [PRIMARY_ADDRESS];
  }
}

const SUCCESS = 'Success: HTTP Status Code 200, OK';
const FAILURE = 'Failure: HTTP Status Code 200, OK (inverted)';

/**
 * Route 53 and CloudWatch through aws-sdk-client-mock, answering from the world: the check's
 * Inverted flag, three checkers, the zone's failover records and name servers, no alarm firing
 * before, and the alarm's history from the world's changes.
 */
export function mockAwsFor(world: FakeFailoverWorld) {
  const route53 = mockClient(Route53Client);
  const cloudwatch = mockClient(CloudWatchClient);
  const healthCheck = () => ({
    Id: HEALTH_CHECK_ID,
    CallerReference: 'mcp-bridge-staging-20261125',
    HealthCheckVersion: world.changes.length + 1,
    HealthCheckConfig: { Type: 'HTTPS' as const, IPAddress: PRIMARY_ADDRESS, FullyQualifiedDomainName: 'mcp.staging.example.com', Inverted: world.inverted },
  });
  const arm = () => {
    route53.reset();
    cloudwatch.reset();
    route53.on(GetHealthCheckCommand, { HealthCheckId: HEALTH_CHECK_ID }).callsFake(async () => ({ HealthCheck: healthCheck() }));
    route53.on(UpdateHealthCheckCommand, { HealthCheckId: HEALTH_CHECK_ID }).callsFake(async (input: { Inverted?: boolean }) => {
      if (input.Inverted !== undefined) world.inverted = input.Inverted;
      return { HealthCheck: healthCheck() };
    });
    route53.on(GetHealthCheckStatusCommand, { HealthCheckId: HEALTH_CHECK_ID }).callsFake(async () => {
      const status = world.showsInverted(world.delays.checkersMs) ? FAILURE : SUCCESS;
      return { HealthCheckObservations: ['us-east-1', 'eu-west-1', 'ap-southeast-1'].map((Region) => ({ Region, IPAddress: '15.177.2.1', StatusReport: { Status: status } })) };
    });
    route53.on(GetHostedZoneCommand).resolves({
      HostedZone: { Id: '/hostedzone/Z0EXAMPLE00000000STG', Name: 'example.com.', CallerReference: 'zone' },
      DelegationSet: { NameServers: [...NAME_SERVERS] },
    });
    route53.on(ListResourceRecordSetsCommand).resolves({
      IsTruncated: false,
      MaxItems: 100,
      ResourceRecordSets: [
        { Name: 'mcp.staging.example.com.', Type: 'A', SetIdentifier: 'primary-gcp', Failover: 'PRIMARY', TTL: 60, ResourceRecords: [{ Value: PRIMARY_ADDRESS }], HealthCheckId: HEALTH_CHECK_ID },
        { Name: 'mcp.staging.example.com.', Type: 'A', SetIdentifier: 'secondary-aws', Failover: 'SECONDARY', AliasTarget: { HostedZoneId: 'ZLY8HYME6SFDD', DNSName: `${AWS_TARGET}.`, EvaluateTargetHealth: true } },
        { Name: '_acme-challenge.mcp.staging.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: 'x.authorize.certificatemanager.goog.' }] },
      ],
    });
    cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    cloudwatch.on(DescribeAlarmHistoryCommand).callsFake(async () => ({
      AlarmHistoryItems: world.changes.map((change) => {
        const [from, to] = change.inverted ? ['OK', 'ALARM'] : ['ALARM', 'OK'];
        return {
          AlarmName: ALARM_NAME,
          Timestamp: new Date(change.at + world.delays.alarmMs),
          HistoryItemType: 'StateUpdate' as const,
          HistorySummary: `Alarm updated from ${from} to ${to}`,
          HistoryData: JSON.stringify({ version: '1.0', oldState: { stateValue: from }, newState: { stateValue: to } }),
        };
      }),
    }));
  };
  arm();
  return { route53, cloudwatch, arm };
}

/** A local proxy standing for the failover name: it forwards to the secondary while the world's resolver shows the check inverted. */
export async function startFailoverProxy(world: FakeFailoverWorld, primaryUrl: string, secondaryUrl: string): Promise<{ url: string; close: () => Promise<void> }> {
  const proxy: Server = createServer((req, res) => {
    if (world.inBlackout() && req.url?.startsWith('/mcp')) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('switching');
      return;
    }
    const upstream = new URL(req.url ?? '/', world.showsInverted(world.delays.resolverMs) ? secondaryUrl : primaryUrl);
    req.pipe(
      request(upstream, { method: req.method, headers: { ...req.headers, host: upstream.host } }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      }).on('error', () => res.writeHead(502).end()),
    );
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    close: async () => {
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    },
  };
}
