// The dashboards' JSON, checked against what the APIs require of it: the Cloud Monitoring
// Dashboard resource (displayName; a mosaic layout of 1-48 columns whose tiles fit the grid, each
// with one widget; an xyChart's data sets each a time series query with a filter) and the
// CloudWatch dashboard body structure (widgets with type, a position on the 24-column grid, and a
// metric widget's metrics and region).
import { describe, expect, it } from 'vitest';
import { parseEnvironments } from '../../stacks/config.js';
import { exampleConfig, only, synthEnvironment } from '../support/synth.js';

const WIDGET_KINDS = ['xyChart', 'scorecard', 'text', 'timeSeriesTable', 'pieChart', 'alertChart', 'logsPanel', 'collapsibleGroup', 'blank'];

/** Staging in two regions on each cloud. */
const twoRegions = (() => {
  const config = exampleConfig();
  config.staging.gcp = { project: 'example-mcp-staging', regions: ['europe-west1', 'us-central1'] };
  config.staging.aws = { regions: ['eu-west-1', 'us-east-1'] };
  return synthEnvironment('staging', parseEnvironments(config).find((env) => env.name === 'staging'));
})();

describe.each([
  ['one region per cloud', synthEnvironment('staging')],
  ['two regions per cloud', twoRegions],
])('GIVEN %s', (_name, environment) => {
  const regions = { gcp: environment.stacks.gcp.bridges.length, aws: environment.awsRegions.length };

  it('THEN the Cloud Monitoring dashboard is a valid mosaic: a row per region of requests by status class, p50/p99 latency and instances, and one of tool calls and refusals', () => {
    const dashboard = JSON.parse(only(environment.gcp, 'google_monitoring_dashboard').dashboard_json);
    expect(dashboard.displayName).toBe('mcp-bridge-staging: Cloud Run');
    const { columns, tiles } = dashboard.mosaicLayout;
    expect(columns).toBeGreaterThanOrEqual(1);
    expect(columns).toBeLessThanOrEqual(48);
    expect(tiles).toHaveLength(3 * regions.gcp + 2);
    for (const tile of tiles) {
      expect(tile.width).toBeGreaterThanOrEqual(1);
      expect(tile.height).toBeGreaterThanOrEqual(1);
      expect((tile.xPos ?? 0) + tile.width).toBeLessThanOrEqual(columns);
      expect(Object.keys(tile.widget).filter((key) => WIDGET_KINDS.includes(key))).toEqual(['xyChart']);
      expect(tile.widget.title).toBeTruthy();
      for (const dataSet of tile.widget.xyChart.dataSets) {
        const { filter, aggregation } = dataSet.timeSeriesQuery.timeSeriesFilter;
        expect(filter).toMatch(
          /^metric\.type="run\.googleapis\.com\/[\w/]+" resource\.type="cloud_run_revision" resource\.labels\.service_name="mcp-bridge-staging" resource\.labels\.location="[a-z0-9-]+"$|^metric\.type="logging\.googleapis\.com\/user\/mcp-bridge-staging-tool-calls" resource\.type="cloud_run_revision"( metric\.labels\.outcome="refused")?$/,
        );
        expect(aggregation.alignmentPeriod).toBe('60s');
        // A legend template's ${…} is escaped for Terraform (a literal `${` in the JSON it sends).
        if (dataSet.legendTemplate?.includes('{')) expect(dataSet.legendTemplate).toMatch(/^\$\$\{metric\.labels\.\w+\}( \$\$\{metric\.labels\.\w+\})?$/);
      }
    }
    // Tiles never overlap.
    const cells = tiles.map((tile: any) => `${tile.xPos ?? 0},${tile.yPos ?? 0}`);
    expect(new Set(cells).size).toBe(cells.length);
    expect(tiles.map((tile: any) => tile.widget.title)).toContain(`${environment.stacks.gcp.bridges.at(-1)!.service.locationInput}: latency p50 and p99`);
    // The audit row charts the tool-call metric the stack defines, grouped by server and tool, and waits for it.
    const audit = tiles.filter((tile: any) => tile.widget.title.includes('by server and tool'));
    expect(audit.map((tile: any) => tile.widget.title)).toEqual(['Tool calls by server and tool', 'Refusals by server and tool']);
    for (const tile of audit) expect(tile.widget.xyChart.dataSets[0].timeSeriesQuery.timeSeriesFilter.aggregation.groupByFields).toEqual(['metric.label.server', 'metric.label.tool']);
    const metric = only(environment.gcp, 'google_logging_metric');
    expect(metric).toMatchObject({ name: 'mcp-bridge-staging-tool-calls', label_extractors: { server: 'EXTRACT(jsonPayload.server)', tool: 'EXTRACT(jsonPayload.tool)', outcome: 'EXTRACT(jsonPayload.outcome)' } });
    expect(metric.metric_descriptor.labels.map((label: any) => label.key)).toEqual(['server', 'tool', 'outcome']);
    expect(only(environment.gcp, 'google_monitoring_dashboard').depends_on).toEqual([expect.stringMatching(/^google_logging_metric\./)]);
  });

  it('THEN the Cloud Monitoring dashboard holds no value the API leaves out of what it returns (0, false, "", [], {}), so a plan after apply is empty', () => {
    const leftOut: string[] = [];
    const walk = (value: unknown, path: string): void => {
      if (value === 0 || value === false || value === '' || value === null || (Array.isArray(value) && value.length === 0)) leftOut.push(path);
      else if (Array.isArray(value)) value.forEach((child, index) => walk(child, `${path}[${index}]`));
      else if (typeof value === 'object') {
        if (Object.keys(value).length === 0) leftOut.push(path);
        for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`);
      }
    };
    walk(JSON.parse(only(environment.gcp, 'google_monitoring_dashboard').dashboard_json), '$');
    expect(leftOut).toEqual([]);
  });

  it('THEN the CloudWatch dashboard has, per AWS region, Lambda and API charts, and every health check\'s status', () => {
    const dashboard = only(environment.edge, 'aws_cloudwatch_dashboard');
    expect(dashboard.dashboard_name).toBe('mcp-bridge-staging');
    const { widgets } = JSON.parse(dashboard.dashboard_body);
    expect(widgets).toHaveLength(5 * regions.aws + 1);
    for (const widget of widgets) {
      expect(widget.type).toBe('metric');
      expect(widget.x + widget.width).toBeLessThanOrEqual(24);
      expect(widget.properties.region).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      expect(widget.properties.metrics.length).toBeGreaterThan(0);
      for (const metric of widget.properties.metrics) {
        // A metric by namespace and name, or one search expression of the tool-call metric.
        if (typeof metric[0] === 'object') expect(metric[0].expression).toMatch(/^SEARCH\('\{MCPBridge\/staging,Outcome,Server,Tool\} MetricName="ToolCalls"( Outcome="refused")?', 'Sum', 60\)$/);
        else expect(metric.slice(0, 2).every((part: unknown) => typeof part === 'string')).toBe(true);
      }
    }
    // Widgets never overlap.
    const cells = widgets.map((widget: any) => `${widget.x},${widget.y}`);
    expect(new Set(cells).size).toBe(cells.length);
    const health = widgets.at(-1);
    expect(health.properties).toMatchObject({ region: 'us-east-1', stat: 'Minimum' });
    expect(health.properties.metrics).toHaveLength(1 + (regions.aws > 1 ? regions.aws : 0));
    expect(widgets.filter((widget: any) => widget.properties.title.endsWith('HTTP API 5xx')).map((widget: any) => widget.properties.metrics[0][3])).toEqual(
      Array.from({ length: regions.aws }, () => expect.stringMatching(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-staging-aws[\w-]*\.outputs\./)),
    );
  });

  it('THEN both stacks say where their dashboard is', () => {
    expect(environment.gcp.output!['dashboard-url'].value).toMatch(/^https:\/\/console\.cloud\.google\.com\/monitoring\/dashboards\/builder\/\$\{element\(split\("\/", google_monitoring_dashboard\.[\w-]+\.id\), 3\)\}\?project=example-mcp-staging$/);
    expect(environment.edge.output!['dashboard-url'].value).toMatch(/^https:\/\/console\.aws\.amazon\.com\/cloudwatch\/home#dashboards\/dashboard\/\$\{aws_cloudwatch_dashboard\.[\w-]+\.dashboard_name\}$/);
  });
});

describe('asTheApiReturnsIt', () => {
  it('drops what proto3 JSON leaves out, depth first, and keeps everything else as given', async () => {
    const { asTheApiReturnsIt } = await import('../../stacks/gcp/dashboard.js');
    expect(asTheApiReturnsIt({ xPos: 0, yPos: 16, show: false, label: '', groupBy: [], axis: { label: '' }, tiles: [{ xPos: 0, width: 16 }], scale: 'LINEAR' })).toEqual({
      yPos: 16,
      tiles: [{ width: 16 }],
      scale: 'LINEAR',
    });
  });
});
