import { MonitoringDashboard } from '@cdktf/provider-google/lib/monitoring-dashboard/index.js';
import { Construct } from 'constructs';
import type { ToolCallMetric } from './tool-call-metric.js';

/** Props of {@link CloudRunDashboard}. */
export interface CloudRunDashboardProps {
  /** The GCP project. */
  readonly project: string;
  /** The Cloud Run service's name (the same in every region). */
  readonly serviceName: string;
  /** The service's regions: a row of charts each. */
  readonly regions: readonly string[];
  /** The tool-call counter of the audit lines: a row of calls and refusals by server and tool. */
  readonly toolCalls: ToolCallMetric;
}

/**
 * A dashboard as the Monitoring API returns it: the API writes proto3 JSON, which leaves out zero
 * numbers, `false`, empty strings, lists and objects (a tile at `xPos: 0`). The provider's diff
 * (monitoringDashboardDiffSuppress, google 6.50) drops keys the API adds but not keys it drops, so
 * each of those would show as an update in every plan (provider issues 7242 and 16173). Pruned
 * depth first: an object left empty by its children's pruning goes too.
 */
export function asTheApiReturnsIt(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asTheApiReturnsIt);
  if (value === null || typeof value !== 'object') return value;
  const kept = Object.entries(value)
    .map(([key, child]) => [key, asTheApiReturnsIt(child)] as const)
    .filter(([, child]) => !isProtoDefault(child));
  return Object.fromEntries(kept);
}

/** The values proto3 JSON leaves out. */
function isProtoDefault(value: unknown): boolean {
  if (value === 0 || value === false || value === '' || value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** Columns of the dashboard's mosaic grid (the API's maximum, 48). */
export const DASHBOARD_COLUMNS = 48;

/**
 * A Cloud Monitoring dashboard of the bridge: for each region a row with requests per second by
 * status class, p50 and p99 latency, and instances; then tool calls and refusals by server and tool
 * (every region). The JSON holds only what the API keeps as
 * given (the provider drops the keys the server adds when it compares), so plans stay empty.
 */
export class CloudRunDashboard extends Construct {
  /** The dashboard. */
  readonly dashboard: MonitoringDashboard;

  constructor(scope: Construct, id: string, props: CloudRunDashboardProps) {
    super(scope, id);
    const width = DASHBOARD_COLUMNS / 3;
    const height = 16;
    const ofService = (region: string, metric: string) =>
      `metric.type="run.googleapis.com/${metric}" resource.type="cloud_run_revision" resource.labels.service_name="${props.serviceName}" resource.labels.location="${region}"`;
    const chart = (title: string, dataSets: object[], yLabel: string) => ({ title, xyChart: { dataSets, yAxis: { label: yLabel, scale: 'LINEAR' } } });
    const series = (filter: string, aggregation: object, legendTemplate?: string) => ({
      timeSeriesQuery: { timeSeriesFilter: { filter, aggregation } },
      plotType: 'LINE',
      ...(legendTemplate === undefined ? {} : { legendTemplate }),
    });
    const tiles = props.regions.flatMap((region, row) => [
      chart(
        `${region}: requests by status class`,
        [
          series(
            ofService(region, 'request_count'),
            { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['metric.label.response_code_class'] },
            // `$${` is a literal `${` in Terraform's JSON syntax: the legend's own template, not an interpolation.
            '$${metric.labels.response_code_class}',
          ),
        ],
        'requests/s',
      ),
      chart(
        `${region}: latency p50 and p99`,
        ['50', '99'].map((percentile) =>
          series(
            ofService(region, 'request_latencies'),
            { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_DELTA', crossSeriesReducer: `REDUCE_PERCENTILE_${percentile}` },
            `p${percentile}`,
          ),
        ),
        'ms',
      ),
      chart(
        `${region}: instances`,
        [series(ofService(region, 'container/instance_count'), { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_MAX', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['metric.label.state'] }, '$${metric.labels.state}')],
        'instances',
      ),
    ].map((widget, column) => ({ xPos: column * width, yPos: row * height, width, height, widget })));
    const toolCalls = (outcome?: string) =>
      series(
        `metric.type="${props.toolCalls.metricType}" resource.type="cloud_run_revision"${outcome === undefined ? '' : ` metric.labels.outcome="${outcome}"`}`,
        { alignmentPeriod: '60s', perSeriesAligner: 'ALIGN_RATE', crossSeriesReducer: 'REDUCE_SUM', groupByFields: ['metric.label.server', 'metric.label.tool'] },
        '$${metric.labels.server} $${metric.labels.tool}',
      );
    const auditRow = [chart('Tool calls by server and tool', [toolCalls()], 'calls/s'), chart('Refusals by server and tool', [toolCalls('refused')], 'refusals/s')].map((widget, column) => ({
      xPos: column * width,
      yPos: props.regions.length * height,
      width,
      height,
      widget,
    }));
    tiles.push(...auditRow);

    this.dashboard = new MonitoringDashboard(this, 'dashboard', {
      project: props.project,
      dashboardJson: JSON.stringify(asTheApiReturnsIt({ displayName: `${props.serviceName}: Cloud Run`, mosaicLayout: { columns: DASHBOARD_COLUMNS, tiles } })),
      // The charts name the metric: it exists first.
      dependsOn: [props.toolCalls.metric],
    });
  }
}
