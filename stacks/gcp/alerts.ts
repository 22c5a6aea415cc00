import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { Construct } from 'constructs';

/** Props of {@link CloudRunAlerts}. */
export interface CloudRunAlertsProps {
  /** The GCP project. */
  readonly project: string;
  /** The service to watch. */
  readonly service: CloudRunV2Service;
  /** The service's region: each region's service is watched on its own. */
  readonly region: string;
  /**
   * Notification channels to alert (the home region's, in a multi-region setup).
   * @default - an e-mail channel per address of `emails`, made here
   */
  readonly notificationChannels?: readonly string[];
  /** The service's instance ceiling; the instance alert fires at 80% of it. */
  readonly maxInstances: number;
  /** Addresses that get the alerts, each through an e-mail notification channel (unless `notificationChannels` is given). */
  readonly emails: readonly string[];
  /** The p99 request latency, in milliseconds, above which to alert. */
  readonly latencyP99Ms: number;
  /**
   * The share of 5xx responses above which to alert.
   * @default 0.05
   */
  readonly errorRatio?: number;
  /**
   * How long a condition must hold before the alert fires, in seconds.
   * @default 300
   */
  readonly durationSeconds?: number;
}

/**
 * Cloud Monitoring alert policies for the Cloud Run service: 5xx ratio, p99 latency,
 * and instance count near its ceiling, each to e-mail notification channels.
 */
export class CloudRunAlerts extends Construct {
  /** The alert policies, by what they watch. */
  readonly policies: Readonly<Record<'errorRatio' | 'latencyP99' | 'instances', MonitoringAlertPolicy>>;
  /** The notification channels the policies alert. */
  readonly notificationChannels: readonly string[];

  constructor(scope: Construct, id: string, props: CloudRunAlertsProps) {
    super(scope, id);
    const { project, service } = props;
    const errorRatio = props.errorRatio ?? 0.05;
    const duration = `${props.durationSeconds ?? 300}s`;
    const channels =
      props.notificationChannels ??
      props.emails.map(
        (email, index) =>
          new MonitoringNotificationChannel(this, `email-${index}`, {
            project,
            displayName: `MCP bridge alerts: ${email}`,
            type: 'email',
            labels: { email_address: email },
          }).id,
      );
    this.notificationChannels = channels;

    // The same service name runs in every region: each region's revisions are watched on their own.
    const ofService = `resource.type = "cloud_run_revision" AND resource.labels.service_name = "${service.name}" AND resource.labels.location = "${props.region}"`;
    const requestCount = `metric.type = "run.googleapis.com/request_count" AND ${ofService}`;
    const ratePerSecond = { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM' };
    const policy = (key: string, displayName: string, conditionThreshold: Record<string, unknown>) =>
      new MonitoringAlertPolicy(this, key, {
        project,
        // The literal name (not the attribute): known at plan, and checked against the provider's limits at synth.
        displayName: `${service.nameInput} (${props.region}): ${displayName}`,
        combiner: 'OR',
        notificationChannels: [...channels],
        alertStrategy: { autoClose: '1800s' },
        conditions: [{ displayName, conditionThreshold: { duration, trigger: { count: 1 }, ...conditionThreshold } as never }],
      });

    this.policies = {
      errorRatio: policy('error-ratio', `5xx responses above ${errorRatio * 100}%`, {
        filter: `${requestCount} AND metric.labels.response_code_class = "5xx"`,
        aggregations: [ratePerSecond],
        denominatorFilter: requestCount,
        denominatorAggregations: [ratePerSecond],
        comparison: 'COMPARISON_GT',
        thresholdValue: errorRatio,
      }),
      latencyP99: policy('latency-p99', `p99 latency above ${props.latencyP99Ms} ms`, {
        filter: `metric.type = "run.googleapis.com/request_latencies" AND ${ofService}`,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_PERCENTILE_99', crossSeriesReducer: 'REDUCE_MAX' }],
        comparison: 'COMPARISON_GT',
        thresholdValue: props.latencyP99Ms,
      }),
      instances: policy('instances', `instances above 80% of the maximum (${props.maxInstances})`, {
        filter: `metric.type = "run.googleapis.com/container/instance_count" AND ${ofService}`,
        aggregations: [{ alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM' }],
        comparison: 'COMPARISON_GT',
        thresholdValue: Math.max(1, Math.floor(props.maxInstances * 0.8)),
      }),
    };
  }
}
