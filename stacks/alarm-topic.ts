import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Construct } from 'constructs';

/** Props of {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /** The topic's name. */
  readonly name: string;
  /** Addresses subscribed by e-mail (each must confirm once). */
  readonly emails: readonly string[];
  /**
   * The provider (region) of the topic and its alarms; CloudWatch alarms notify topics in their own region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
}

/** What one CloudWatch alarm watches. */
export interface MetricAlarmSpec {
  /** Alarm name suffix and description. */
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  /** A statistic (`Sum`, `Minimum`, …) or a percentile such as `p99`. */
  readonly statistic: string;
  readonly comparisonOperator: string;
  readonly threshold: number;
  /**
   * Seconds per datapoint.
   * @default 60
   */
  readonly periodSeconds?: number;
  /**
   * Datapoints that must breach before the alarm fires.
   * @default 5
   */
  readonly evaluationPeriods?: number;
  /**
   * What a missing datapoint means.
   * @default 'notBreaching'
   */
  readonly treatMissingData?: string;
}

/**
 * An SNS topic with e-mail subscriptions, and the CloudWatch alarms that notify it
 * (on alarm and on recovery). Both AWS-side stacks use it: the Lambda/API alarms in
 * the app region, the Route 53 health-check alarm in us-east-1.
 */
export class AlarmTopic extends Construct {
  /** The topic every alarm of this construct notifies. */
  readonly topic: SnsTopic;
  readonly #provider: AwsProvider | undefined;
  readonly #name: string;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.#provider = props.provider;
    this.#name = props.name;
    this.topic = new SnsTopic(this, 'topic', { name: props.name, provider: props.provider });
    for (const [index, email] of props.emails.entries()) {
      new SnsTopicSubscription(this, `email-${index}`, {
        topicArn: this.topic.arn,
        protocol: 'email',
        endpoint: email,
        provider: props.provider,
      });
    }
  }

  /** Adds a CloudWatch alarm that notifies this topic. */
  alarm(spec: MetricAlarmSpec): CloudwatchMetricAlarm {
    const percentile = /^p\d+(\.\d+)?$/.test(spec.statistic);
    return new CloudwatchMetricAlarm(this, `alarm-${spec.name}`, {
      // Literal, not the topic's name attribute: known at plan, and checked against the provider's limits at synth.
      alarmName: `${this.#name}-${spec.name}`,
      alarmDescription: spec.description,
      namespace: spec.namespace,
      metricName: spec.metricName,
      dimensions: spec.dimensions,
      ...(percentile ? { extendedStatistic: spec.statistic } : { statistic: spec.statistic }),
      comparisonOperator: spec.comparisonOperator,
      threshold: spec.threshold,
      period: spec.periodSeconds ?? 60,
      evaluationPeriods: spec.evaluationPeriods ?? 5,
      treatMissingData: spec.treatMissingData ?? 'notBreaching',
      alarmActions: [this.topic.arn],
      okActions: [this.topic.arn],
      provider: this.#provider,
    });
  }
}
