import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import type { BridgeHttpApi } from './aws/bridge-http-api.js';
import type { EnvironmentConfig } from './config.js';
import { BridgeCloudWatchDashboard } from './edge/cloudwatch-dashboard.js';
import { FailoverDns } from './edge/failover-dns.js';
import type { GlobalHttpsLoadBalancer } from './gcp/load-balancer.js';
import { lambdaFunctionName, regionalDomainName, resourceName } from './naming.js';
import { useRemoteState } from './remote-state.js';

/** Props of {@link EdgeStack}. */
export interface EdgeStackProps {
  /** The environment to build. */
  readonly env: EnvironmentConfig;
  /** The primary's load balancer (from the GCP stack: read through remote state). */
  readonly primary: GlobalHttpsLoadBalancer;
  /**
   * The secondary's HTTP API in each AWS region, the home region first (from the AWS stacks: read
   * through remote state). With one, the SECONDARY record points at it; with several, at a
   * latency-routed set of them, each behind its own health check.
   */
  readonly secondaries: ReadonlyArray<{ readonly region: string; readonly httpApi: BridgeHttpApi }>;
  /**
   * Invert the primary's health check so traffic moves to the secondary (failover drill).
   * @default false
   */
  readonly failoverDrill?: boolean;
}

/**
 * `<env>-edge`: the failover name. Route 53 health check and failover records, the
 * Certificate Manager DNS-authorization CNAME, the health-check alarm in us-east-1 (the only
 * region with Route 53 health-check metrics), and the CloudWatch dashboard of the secondary and
 * the failover (it charts every AWS region's stack and every health check).
 */
export class EdgeStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id);
    const { env } = props;
    useRemoteState(this, env, 'edge');
    new AwsProvider(this, 'aws', { region: env.aws.region });
    const usEast1 = new AwsProvider(this, 'aws-us-east-1', { alias: 'us-east-1', region: 'us-east-1' });

    const failover = new FailoverDns(this, 'failover', {
      name: resourceName(env.name),
      domainName: env.domainName,
      hostedZoneId: env.hostedZone.id,
      primaryAddress: props.primary.address.address,
      secondaries: props.secondaries.map(({ region, httpApi }) => ({
        region,
        alias: { name: httpApi.domain.domainNameConfiguration.targetDomainName, zoneId: httpApi.domain.domainNameConfiguration.hostedZoneId },
        healthCheckFqdn: regionalDomainName(env, region),
      })),
      ...env.healthCheck,
      invertHealthCheck: props.failoverDrill ?? false,
    });

    // What `npm run deploy` waits on (the primary's check turning healthy) and `npm run status` reads.
    new TerraformOutput(this, 'primary-health-check-id', { value: failover.healthCheck.id });
    for (const [region, check] of failover.secondaryHealthChecks) new TerraformOutput(this, `aws-${region}-health-check-id`, { value: check.id });

    const dashboard = new BridgeCloudWatchDashboard(this, 'dashboard', {
      name: resourceName(env.name),
      environment: env.name,
      regions: props.secondaries.map(({ region, httpApi }) => ({ region, functionName: lambdaFunctionName(env), apiId: httpApi.api.id })),
      healthChecks: [
        { label: 'primary (Cloud Run)', id: failover.healthCheck.id },
        ...[...failover.secondaryHealthChecks].map(([region, check]) => ({ label: `secondary ${region}`, id: check.id })),
      ],
    }).dashboard;
    new TerraformOutput(this, 'dashboard-url', {
      value: `https://console.aws.amazon.com/cloudwatch/home#dashboards/dashboard/${dashboard.dashboardName}`,
    });

    const authorization = props.primary.dnsAuthorization.dnsResourceRecord.get(0);
    new Route53Record(this, 'gcp-certificate-authorization', {
      zoneId: env.hostedZone.id,
      name: authorization.name,
      type: authorization.type,
      ttl: 300,
      records: [authorization.data],
    });

    const alarms = new AlarmTopic(this, 'alarms', {
      name: resourceName(env.name, 'failover-alarms'),
      emails: env.alerts.emails,
      provider: usEast1,
    });
    // A health check's status is 1 while healthy: an alarm as soon as one datapoint is below it.
    const unhealthy = (name: string, description: string, healthCheckId: string) =>
      alarms.alarm({
        name,
        description,
        namespace: 'AWS/Route53',
        metricName: 'HealthCheckStatus',
        dimensions: { HealthCheckId: healthCheckId },
        statistic: 'Minimum',
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        evaluationPeriods: 1,
        treatMissingData: 'breaching',
      });
    const primaryAlarm = unhealthy('primary-unhealthy', `Route 53 reports the primary (Cloud Run) of ${env.domainName} unhealthy: traffic is on AWS`, failover.healthCheck.id);
    // The alarm `npm run gameday` expects to fire while it inverts the primary's check.
    new TerraformOutput(this, 'primary-alarm-name', { value: primaryAlarm.alarmName });
    for (const [region, check] of failover.secondaryHealthChecks) {
      unhealthy(
        `aws-${region}-unhealthy`,
        `Route 53 reports the secondary (Lambda) in ${region} of ${env.domainName} unhealthy: AWS traffic goes to its other regions`,
        check.id,
      );
    }
  }
}
