import {
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  GetHostedZoneCommand,
  ListResourceRecordSetsCommand,
  UpdateHealthCheckCommand,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { checkerObservations, routeConsidersHealthy } from './health-checkers.js';

/** What the checkers of a health check report now. */
export interface CheckerReport {
  /** Checkers that report the endpoint healthy. */
  readonly healthy: number;
  /** Checkers that report at all. */
  readonly total: number;
  /** Whether Route 53 considers the check healthy from these reports (see {@link routeConsidersHealthy}). */
  readonly considersHealthy: boolean;
}

/** The failover name's two answers, as the hosted zone holds them. */
export interface FailoverRecords {
  /** The PRIMARY record: the Google load balancer's address, its TTL and the health check it uses. */
  readonly primary: { readonly address: string; readonly ttlSeconds: number; readonly healthCheckId?: string };
  /**
   * Where the SECONDARY alias leads: each AWS region's API Gateway regional domain
   * (`d-….execute-api.<region>.amazonaws.com`), one per region.
   */
  readonly secondaries: ReadonlyArray<{ readonly region?: string; readonly target: string }>;
}

/** A Route 53 name without its trailing dot, lowercase: how the config spells names. */
const bare = (name: string | undefined) => (name ?? '').replace(/\.$/, '').toLowerCase();

/**
 * The Route 53 calls `npm run gameday` makes, through the official SDK client (injected, so tests
 * use aws-sdk-client-mock): the failover records, the zone's name servers, and the primary's
 * health check, which it inverts and restores.
 */
export class Route53Failover {
  constructor(private readonly client: Route53Client) {}

  /** Whether a health check is inverted now (its `HealthCheckConfig.Inverted`). */
  async isInverted(healthCheckId: string): Promise<boolean> {
    const { HealthCheck } = await this.client.send(new GetHealthCheckCommand({ HealthCheckId: healthCheckId }));
    return HealthCheck?.HealthCheckConfig?.Inverted === true;
  }

  /**
   * Inverts a health check, or restores it. "If you invert a health check, Route 53 considers the
   * health check to be unhealthy when the status is healthy and vice versa": the way AWS documents
   * to fail over on purpose, without touching the endpoint
   * (docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-invert.html; the API's
   * UpdateHealthCheck `Inverted`). Rejects unless Route 53 answers with the state asked for.
   */
  async setInverted(healthCheckId: string, inverted: boolean): Promise<void> {
    const { HealthCheck } = await this.client.send(new UpdateHealthCheckCommand({ HealthCheckId: healthCheckId, Inverted: inverted }));
    const now = HealthCheck?.HealthCheckConfig?.Inverted === true;
    if (now !== inverted) throw new Error(`Route 53 answered the update of health check ${healthCheckId} with Inverted: ${now}, not ${inverted}`);
  }

  /**
   * What the checkers of a health check report now (see {@link checkerObservations}).
   * GetHealthCheckStatus "is intended for use during development to diagnose behavior. It doesn't
   * support production use-cases with high query rates" (API reference): poll it every few seconds.
   */
  async checkers(healthCheckId: string): Promise<CheckerReport> {
    const observations = checkerObservations(await this.client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })));
    const healthy = observations.filter((observation) => observation.healthy).length;
    return { healthy, total: observations.length, considersHealthy: routeConsidersHealthy(healthy, observations.length) };
  }

  /** The name servers the hosted zone is delegated to (its delegation set): the authoritative answers. */
  async nameServers(hostedZoneId: string): Promise<string[]> {
    const { DelegationSet } = await this.client.send(new GetHostedZoneCommand({ Id: hostedZoneId }));
    const nameServers = DelegationSet?.NameServers ?? [];
    if (nameServers.length === 0) throw new Error(`hosted zone ${hostedZoneId} has no name servers in its delegation set`);
    return nameServers;
  }

  /**
   * The failover records of a name: the PRIMARY A record and where the SECONDARY alias leads (with
   * several AWS regions it leads to a latency set in the same zone, whose aliases lead to each region).
   */
  async failoverRecords(hostedZoneId: string, name: string): Promise<FailoverRecords> {
    const records = await this.#aRecords(hostedZoneId, name);
    const primary = records.find((record) => record.Failover === 'PRIMARY');
    const secondary = records.find((record) => record.Failover === 'SECONDARY');
    const address = primary?.ResourceRecords?.[0]?.Value;
    if (primary === undefined || address === undefined || secondary?.AliasTarget?.DNSName === undefined) {
      throw new Error(`hosted zone ${hostedZoneId} has no PRIMARY A record and SECONDARY alias for ${name}`);
    }
    const target = bare(secondary.AliasTarget.DNSName);
    // An alias into this same zone is the latency set over the AWS regions; any other leads to API Gateway.
    const intoThisZone = secondary.AliasTarget.HostedZoneId === hostedZoneId.replace(/^\/hostedzone\//, '');
    const latencySet = intoThisZone ? await this.#aRecords(hostedZoneId, target) : [];
    const secondaries = latencySet.length === 0 ? [{ target }] : latencySet.map((record) => ({ ...(record.Region ? { region: record.Region } : {}), target: bare(record.AliasTarget?.DNSName) }));
    return {
      primary: { address, ttlSeconds: primary.TTL ?? 0, ...(primary.HealthCheckId ? { healthCheckId: primary.HealthCheckId } : {}) },
      secondaries,
    };
  }

  /** The A records of exactly one name (ListResourceRecordSets lists from a name on, in order). */
  async #aRecords(hostedZoneId: string, name: string): Promise<ResourceRecordSet[]> {
    const { ResourceRecordSets = [] } = await this.client.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: name, StartRecordType: 'A', MaxItems: 100 }),
    );
    return ResourceRecordSets.filter((record) => bare(record.Name) === bare(name) && record.Type === 'A');
  }
}
