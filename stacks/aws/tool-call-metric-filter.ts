import { CloudwatchLogMetricFilter } from '@cdktf/provider-aws/lib/cloudwatch-log-metric-filter/index.js';
import type { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { Construct } from 'constructs';
import { CLOUDWATCH_AUDIT_PATTERN, TOOL_CALL_METRIC, toolCallNamespace } from '../audit/audit-lines.js';

/** Props of {@link ToolCallMetricFilter}. */
export interface ToolCallMetricFilterProps {
  /** The function's log group, which holds its audit lines. */
  readonly logGroup: CloudwatchLogGroup;
  /** The environment: the metric's namespace (`MCPBridge/<env>`). */
  readonly environment: string;
}

/**
 * Counts the function's tool calls from its audit lines as `ToolCalls` by Server, Tool and Outcome
 * (CloudWatch allows three dimensions, each a JSON field of the line; they need a JSON pattern and
 * rule out a default value; the provider checks none of it, the API does at apply). The series are as
 * many as the servers' tools times six outcomes, far under the thousand distinct values an hour past
 * which CloudWatch turns a filter off.
 */
export class ToolCallMetricFilter extends Construct {
  /** The filter. */
  readonly filter: CloudwatchLogMetricFilter;

  constructor(scope: Construct, id: string, props: ToolCallMetricFilterProps) {
    super(scope, id);
    this.filter = new CloudwatchLogMetricFilter(this, 'filter', {
      name: 'tool-calls',
      logGroupName: props.logGroup.name,
      pattern: CLOUDWATCH_AUDIT_PATTERN,
      metricTransformation: {
        namespace: toolCallNamespace(props.environment),
        name: TOOL_CALL_METRIC,
        value: '1',
        unit: 'Count',
        dimensions: { Server: '$.server', Tool: '$.tool', Outcome: '$.outcome' },
      },
    });
  }
}
