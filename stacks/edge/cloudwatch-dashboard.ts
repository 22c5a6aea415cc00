import { CloudwatchDashboard } from '@cdktf/provider-aws/lib/cloudwatch-dashboard/index.js';
import { Construct } from 'constructs';
import { TOOL_CALL_METRIC, toolCallNamespace } from '../audit/audit-lines.js';

/** Props of {@link BridgeCloudWatchDashboard}. */
export interface BridgeCloudWatchDashboardProps {
  /** The dashboard's name. */
  readonly name: string;
  /** Each AWS region of the secondary: its function and HTTP API. */
  readonly regions: ReadonlyArray<{ readonly region: string; readonly functionName: string; readonly apiId: string }>;
  /** The environment: its tool-call metric's namespace. */
  readonly environment: string;
  /** The Route 53 health checks to chart (their metrics live in us-east-1), by label. */
  readonly healthChecks: ReadonlyArray<{ readonly label: string; readonly id: string }>;
}

/** Columns of a CloudWatch dashboard's grid. */
export const CLOUDWATCH_COLUMNS = 24;

/**
 * One CloudWatch dashboard for the secondary and the failover: for each AWS region, Lambda
 * invocations, errors and throttles, p99 duration, the HTTP API's 5xx, and tool calls and refusals by
 * server and tool (from the audit lines); and the status of every
 * Route 53 health check (1 healthy, 0 not). A dashboard is global: each widget names its region.
 */
export class BridgeCloudWatchDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: CloudwatchDashboard;

  constructor(scope: Construct, id: string, props: BridgeCloudWatchDashboardProps) {
    super(scope, id);
    const width = CLOUDWATCH_COLUMNS / 3;
    const height = 6;
    const metricWidget = (x: number, y: number, title: string, region: string, stat: string, metrics: unknown[][]) => ({
      type: 'metric',
      x,
      y,
      width,
      height,
      properties: { title, region, stat, period: 60, view: 'timeSeries', metrics },
    });
    // Every series of the tool-call metric (one per server, tool and outcome), summed per server and tool by the search.
    const toolCalls = (outcome?: string) => [
      [
        {
          expression: `SEARCH('{${toolCallNamespace(props.environment)},Outcome,Server,Tool} MetricName="${TOOL_CALL_METRIC}"${outcome === undefined ? '' : ` Outcome="${outcome}"`}', 'Sum', 60)`,
          id: outcome === undefined ? 'calls' : 'refusals',
        },
      ],
    ];
    const rowHeight = 2 * height;
    const widgets = props.regions.flatMap(({ region, functionName, apiId }, row) => {
      const lambda = (metric: string) => ['AWS/Lambda', metric, 'FunctionName', functionName];
      const y = row * rowHeight;
      return [
        metricWidget(0, y, `${region}: Lambda invocations, errors, throttles`, region, 'Sum', [lambda('Invocations'), lambda('Errors'), lambda('Throttles')]),
        metricWidget(width, y, `${region}: Lambda duration p99`, region, 'p99', [lambda('Duration')]),
        metricWidget(2 * width, y, `${region}: HTTP API 5xx`, region, 'Sum', [['AWS/ApiGateway', '5xx', 'ApiId', apiId]]),
        metricWidget(0, y + height, `${region}: tool calls by server, tool and outcome`, region, 'Sum', toolCalls()),
        metricWidget(width, y + height, `${region}: refusals by server and tool`, region, 'Sum', toolCalls('refused')),
      ];
    });
    widgets.push(
      metricWidget(
        0,
        props.regions.length * rowHeight,
        'Route 53 health checks (1 = healthy)',
        'us-east-1',
        'Minimum',
        props.healthChecks.map(({ label, id }) => ['AWS/Route53', 'HealthCheckStatus', 'HealthCheckId', id, { label }]),
      ),
    );
    this.dashboard = new CloudwatchDashboard(this, 'dashboard', { dashboardName: props.name, dashboardBody: JSON.stringify({ widgets }) });
  }
}
