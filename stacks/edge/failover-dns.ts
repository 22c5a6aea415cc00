import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { Construct } from 'constructs';

/** Props of {@link FailoverDns}. */
export interface FailoverDnsProps {
  /** The failover name clients use. */
  readonly domainName: string;
  /** The hosted zone holding it. */
  readonly hostedZoneId: string;
  /**
   * The health check's reference name (at most 27 characters: the provider appends a unique
   * suffix to make Route 53's 64-character caller reference) and, with `-primary`, its `Name` tag,
   * which the Route 53 console lists it by.
   */
  readonly name: string;
  /** The primary's IPv4 address (the Google load balancer). */
  readonly primaryAddress: string;
  /**
   * The secondary in each AWS region, the home region first: the API Gateway custom domain's
   * regional target, and the name its health check probes (used with several regions).
   */
  readonly secondaries: ReadonlyArray<{
    readonly region: string;
    readonly alias: { readonly name: string; readonly zoneId: string };
    readonly healthCheckFqdn: string;
  }>;
  /** Seconds between health checks: 10 or 30. */
  readonly intervalSeconds: number;
  /** Consecutive failures that mark the primary unhealthy. */
  readonly failureThreshold: number;
  /** Route 53 checker regions (at least 3). */
  readonly regions: readonly string[];
  /**
   * Report the primary unhealthy on purpose, to drill the failover.
   * @default false
   */
  readonly invertHealthCheck?: boolean;
  /**
   * TTL of the PRIMARY record, in seconds; short, so clients follow a failover fast.
   * @default 60
   */
  readonly ttlSeconds?: number;
}

/**
 * Route 53 failover between the clouds: an HTTPS health check on the primary's
 * `/health` (to its IP, with the failover name as Host and SNI), a PRIMARY A record
 * to that IP, and a SECONDARY A alias to the API Gateway regional domain, or, with several AWS
 * regions, to a latency-routed set of them, each health-checked on its own name.
 */
export class FailoverDns extends Construct {
  /** The primary's health check, for its CloudWatch alarm. */
  readonly healthCheck: Route53HealthCheck;
  /** Each AWS region's health check, by region (with several regions; none with one). */
  readonly secondaryHealthChecks: ReadonlyMap<string, Route53HealthCheck>;

  constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    const checkOf = (id: string, target: { ipAddress?: string; fqdn: string }, referenceName: string, tagName: string, invert: boolean) =>
      new Route53HealthCheck(this, id, {
        type: 'HTTPS',
        ...(target.ipAddress === undefined ? {} : { ipAddress: target.ipAddress }),
        fqdn: target.fqdn,
        port: 443,
        enableSni: true,
        resourcePath: '/health',
        requestInterval: props.intervalSeconds,
        failureThreshold: props.failureThreshold,
        regions: [...props.regions],
        measureLatency: true,
        invertHealthcheck: invert,
        referenceName,
        tags: { Name: tagName },
        // reference_name, request_interval and measure_latency are ForceNew (health_check.go): the new
        // check must exist before the old one goes, or Route 53 refuses to delete a check a record
        // still uses (HealthCheckInUse) and the record would lose its check mid-apply.
        lifecycle: { createBeforeDestroy: true },
      });
    this.healthCheck = checkOf('primary-health', { ipAddress: props.primaryAddress, fqdn: props.domainName }, props.name, `${props.name}-primary`, props.invertHealthCheck ?? false);
    new Route53Record(this, 'primary', {
      zoneId: props.hostedZoneId,
      name: props.domainName,
      type: 'A',
      ttl: props.ttlSeconds ?? 60,
      records: [props.primaryAddress],
      setIdentifier: 'primary-gcp',
      failoverRoutingPolicy: { type: 'PRIMARY' },
      healthCheckId: this.healthCheck.id,
    });

    const checks = new Map<string, Route53HealthCheck>();
    let secondaryTarget = props.secondaries[0]!.alias;
    if (props.secondaries.length > 1) {
      // Several AWS regions: the SECONDARY answer is a latency-routed set, each region behind its
      // own check, so a failover lands on the nearest healthy AWS region.
      const latencySet = `aws.${props.domainName}`;
      for (const secondary of props.secondaries) {
        const check = checkOf(`aws-${secondary.region}-health`, { fqdn: secondary.healthCheckFqdn }, `aws-${secondary.region}`, `${props.name}-aws-${secondary.region}`, false);
        checks.set(secondary.region, check);
        new Route53Record(this, `aws-${secondary.region}`, {
          zoneId: props.hostedZoneId,
          name: latencySet,
          type: 'A',
          setIdentifier: `aws-${secondary.region}`,
          latencyRoutingPolicy: { region: secondary.region },
          healthCheckId: check.id,
          alias: { name: secondary.alias.name, zoneId: secondary.alias.zoneId, evaluateTargetHealth: false },
        });
      }
      secondaryTarget = { name: latencySet, zoneId: props.hostedZoneId };
    }
    this.secondaryHealthChecks = checks;
    new Route53Record(this, 'secondary', {
      zoneId: props.hostedZoneId,
      name: props.domainName,
      type: 'A',
      setIdentifier: 'secondary-aws',
      failoverRoutingPolicy: { type: 'SECONDARY' },
      alias: { name: secondaryTarget.name, zoneId: secondaryTarget.zoneId, evaluateTargetHealth: true },
    });
  }
}
