import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { Construct } from 'constructs';
import { cloudRunAuditFilter, toolCallMetricName } from '../audit/audit-lines.js';

/** Props of {@link ToolCallMetric}. */
export interface ToolCallMetricProps {
  /** The GCP project. */
  readonly project: string;
  /** The Cloud Run service's name. */
  readonly serviceName: string;
}

/** The labels the metric extracts from each audit line. Fixed: a label's key is ForceNew (provider issue 14998) and the API never deletes one. */
const LABELS = ['server', 'tool', 'outcome'] as const;

/**
 * A counter of tool calls from the service's audit lines, labelled by server, tool and outcome: what
 * the dashboard charts calls and refusals with. Its name never changes (a renamed metric is a new one,
 * the old left behind: provider issue 18144).
 */
export class ToolCallMetric extends Construct {
  /** The metric. */
  readonly metric: LoggingMetric;
  /** Its type, as Cloud Monitoring filters name it. */
  readonly metricType: string;

  constructor(scope: Construct, id: string, props: ToolCallMetricProps) {
    super(scope, id);
    const name = toolCallMetricName(props.serviceName);
    this.metric = new LoggingMetric(this, 'metric', {
      project: props.project,
      name,
      description: 'Tool calls through the MCP bridge, by server, tool and outcome (one per audit line)',
      filter: cloudRunAuditFilter(props.serviceName),
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'INT64',
        unit: '1',
        labels: LABELS.map((key) => ({ key, valueType: 'STRING', description: `The call's ${key}` })),
      },
      labelExtractors: Object.fromEntries(LABELS.map((key) => [key, `EXTRACT(jsonPayload.${key})`])),
    });
    this.metricType = `logging.googleapis.com/user/${name}`;
  }
}
