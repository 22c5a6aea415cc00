import type { Hono } from 'hono';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { RequestRecord } from './http/request-record.js';

/** Prometheus metrics for the Node entry: request counts and a latency histogram. */
export interface BridgeMetrics {
  /** Records one finished request. */
  readonly observe: (record: RequestRecord) => void;
  /** Adds `GET /metrics` (Prometheus text format) to an app. */
  readonly routes: (app: Hono) => void;
}

/**
 * Builds the metrics registry: `mcp_http_requests_total` by route, status, MCP method
 * and tool; `mcp_http_request_duration_seconds` by route; and Node's process metrics.
 */
export function createMetrics(): BridgeMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'mcp_http_requests_total',
    help: 'HTTP requests served, by route, status, MCP method and tool',
    labelNames: ['route', 'method', 'status', 'mcp_method', 'tool'] as const,
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'mcp_http_request_duration_seconds',
    help: 'HTTP request latency in seconds, by route and MCP method',
    labelNames: ['route', 'mcp_method'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return {
    observe: (record) => {
      const mcpMethod = record.mcpMethod ?? '';
      requests.inc({
        route: record.route,
        method: record.method,
        status: String(record.status),
        mcp_method: mcpMethod,
        tool: record.toolName ?? '',
      });
      latency.observe({ route: record.route, mcp_method: mcpMethod }, record.durationMs / 1000);
    },
    routes: (app) => {
      app.get('/metrics', async (c) => {
        c.header('Content-Type', registry.contentType);
        return c.body(await registry.metrics());
      });
    },
  };
}
