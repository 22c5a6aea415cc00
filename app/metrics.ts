import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AddGetRoute } from './http/pipeline.js';
import type { RequestRecord } from './http/request-record.js';
import { SERVED_METHODS } from './mcp/protocol.js';
import { seriesHistogram, type HistogramSeries } from './series-histogram.js';
import type { ForwardedRequestRecord } from './servers/server-set.js';
import type { ServerHealth } from './servers/upstream.js';

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * The tools served: the `tool` label takes these names, any other name is counted as `unknown`.
   * @default - none: every tool call is counted as `unknown`
   */
  readonly toolNames?: readonly string[];
}

/** Prometheus metrics for the Node entry: request counts and a latency histogram. */
export interface BridgeMetrics {
  /** Records one finished request. */
  readonly observe: (record: RequestRecord) => void;
  /** Adds `GET /metrics` (Prometheus text format) to an app. */
  readonly routes: (get: AddGetRoute) => void;
  /**
   * Adds the servers' metrics (only an instance with configured servers has them): requests by
   * server, tool and outcome, their latency, and, read from `health` at each scrape, restarts,
   * requests in flight and whether each server is up. Returns what records one forwarded request.
   */
  readonly watchServers: (health: () => readonly ServerHealth[]) => (record: ForwardedRequestRecord) => void;
}

/** The labels of `mcp_http_requests_total`. */
type RequestLabels = Record<'route' | 'method' | 'status' | 'mcp_method' | 'tool', string>;

/**
 * Builds the metrics registry: `mcp_http_requests_total` by route, status, MCP method
 * and tool; `mcp_http_request_duration_seconds` by route and MCP method; and Node's process metrics.
 *
 * The MCP method and tool come from what clients send, so they are labels only when they name a
 * method this bridge serves or a tool it has (`other`, `unknown` otherwise): a client making up
 * names cannot grow the number of series, and so the memory, without bound.
 *
 * The request count is kept per label set in a plain map and handed to prom-client when it
 * collects (at each scrape), so a request costs a map lookup rather than prom-client's label
 * validation and hashing; the map's entry also holds the label set's latency series (see
 * `series-histogram.ts`, which says why the histogram is not prom-client's).
 */
export function createMetrics(options: MetricsOptions = {}): BridgeMetrics {
  const tools = new Set(options.toolNames ?? []);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  /** Requests since the last collection, per label set (keyed by the label values, which never hold a newline). */
  const pending = new Map<string, { readonly labels: RequestLabels; readonly latency: HistogramSeries; count: number }>();
  new Counter({
    name: 'mcp_http_requests_total',
    help: 'HTTP requests served, by route, status, MCP method and tool',
    labelNames: ['route', 'method', 'status', 'mcp_method', 'tool'] as const,
    registers: [registry],
    collect() {
      for (const entry of pending.values()) {
        if (entry.count > 0) this.inc(entry.labels, entry.count);
        entry.count = 0;
      }
    },
  });
  const latency = seriesHistogram({
    name: 'mcp_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by route and MCP method',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  });
  const watchServers = (health: () => readonly ServerHealth[]) => {
    const requests = new Counter({
      name: 'mcp_server_requests_total',
      help: 'Requests forwarded to a configured server, by server, method, tool (or prompt) and outcome',
      labelNames: ['server', 'method', 'tool', 'outcome'] as const,
      registers: [registry],
    });
    const duration = new Histogram({
      name: 'mcp_server_request_duration_seconds',
      help: 'Latency of requests forwarded to a configured server, in seconds, by server',
      labelNames: ['server'] as const,
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    });
    new Gauge({
      name: 'mcp_server_up',
      help: 'Whether a configured server can serve (1) or not (0: starting, restarting)',
      labelNames: ['server'] as const,
      registers: [registry],
      collect() {
        for (const server of health()) this.set({ server: server.name }, server.state === 'ready' ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mcp_server_in_flight',
      help: 'Requests sent to a configured server and not yet answered',
      labelNames: ['server'] as const,
      registers: [registry],
      collect() {
        for (const server of health()) this.set({ server: server.name }, server.inFlight);
      },
    });
    const restarts = new Counter({
      name: 'mcp_server_restarts_total',
      help: 'Restarts of a configured server since the bridge started',
      labelNames: ['server'] as const,
      registers: [registry],
      // The supervisors count restarts; each scrape reads their totals.
      collect() {
        restarts.reset();
        for (const server of health()) restarts.inc({ server: server.name }, server.restarts);
      },
    });
    return (record: ForwardedRequestRecord) => {
      // A resource URI can be anything a template allows: it is not a label.
      requests.inc({ server: record.server, method: record.method, tool: record.method === 'resources/read' ? '' : record.target, outcome: record.outcome });
      duration.observe({ server: record.server }, record.durationMs / 1000);
    };
  };
  return {
    watchServers,
    observe: (record) => {
      const mcpMethod = record.mcpMethod === undefined ? '' : SERVED_METHODS.has(record.mcpMethod) ? record.mcpMethod : 'other';
      const tool = record.toolName === undefined ? '' : tools.has(record.toolName) ? record.toolName : 'unknown';
      // The HTTP method is one Node's parser knows, the route a pattern of the app: none holds a newline.
      const key = `${record.route}\n${record.method}\n${record.status}\n${mcpMethod}\n${tool}`;
      let entry = pending.get(key);
      if (entry === undefined) {
        entry = {
          labels: { route: record.route, method: record.method, status: String(record.status), mcp_method: mcpMethod, tool },
          latency: latency.series({ route: record.route, mcp_method: mcpMethod }),
          count: 0,
        };
        pending.set(key, entry);
      }
      entry.count += 1;
      entry.latency.observe(record.durationMs / 1000);
    },
    routes: (get) => {
      get('/metrics', async (c) => {
        c.header('Content-Type', registry.contentType);
        // The registry's text ends each metric but the last with a blank line, and the last with a newline.
        return c.body(`${await registry.metrics()}\n${latency.exposition()}\n`);
      });
    },
  };
}
