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
  /** The secondary's target: the API Gateway custom domain's regional name and zone. */
  readonly secondaryAlias: { readonly name: string; readonly zoneId: string };
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
 * to that IP, and a SECONDARY A alias to the API Gateway regional domain.
 */
export class FailoverDns extends Construct {
  /** The primary's health check, for its CloudWatch alarm. */
  readonly healthCheck: Route53HealthCheck;

  constructor(scope: Construct, id: string, props: FailoverDnsProps) {
    super(scope, id);
    this.healthCheck = new Route53HealthCheck(this, 'primary-health', {
      type: 'HTTPS',
      ipAddress: props.primaryAddress,
      fqdn: props.domainName,
      port: 443,
      enableSni: true,
      resourcePath: '/health',
      requestInterval: props.intervalSeconds,
      failureThreshold: props.failureThreshold,
      regions: [...props.regions],
      measureLatency: true,
      invertHealthcheck: props.invertHealthCheck ?? false,
      referenceName: props.name,
      tags: { Name: `${props.name}-primary` },
      // reference_name, request_interval and measure_latency are ForceNew (health_check.go): the new
      // check must exist before the old one goes, or Route 53 refuses to delete a check the PRIMARY
      // record still uses (HealthCheckInUse) and the record would lose its check mid-apply.
      lifecycle: { createBeforeDestroy: true },
    });
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
    new Route53Record(this, 'secondary', {
      zoneId: props.hostedZoneId,
      name: props.domainName,
      type: 'A',
      setIdentifier: 'secondary-aws',
      failoverRoutingPolicy: { type: 'SECONDARY' },
      alias: { name: props.secondaryAlias.name, zoneId: props.secondaryAlias.zoneId, evaluateTargetHealth: true },
    });
  }
}
