import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { McpVariables, RequestObserver, RequestRecord } from './request-record.js';

/** Options for {@link accessLog}. */
export interface AccessLogOptions {
  /**
   * Where each JSON line goes.
   * @default console.log
   */
  readonly write?: (line: string) => void;
  /**
   * Called with every finished request, after it is logged (metrics hook).
   * @default - nothing else observes requests
   */
  readonly observers?: readonly RequestObserver[];
  /**
   * The request id for a request, when the platform provides one (the AWS request id on Lambda).
   * @default - the `X-Request-Id` header, else a random UUID
   */
  readonly requestIdOf?: (headers: Headers, env: unknown) => string | undefined;
}

/**
 * One structured JSON line per request, readable by Cloud Logging (`severity`,
 * `message`, `httpRequest`) and CloudWatch alike. It never logs headers other than
 * the method and path it names, and never a body.
 *
 * @example app.use(accessLog({ observers: [metrics.observe] }))
 */
export function accessLog(options: AccessLogOptions = {}): MiddlewareHandler<{ Variables: McpVariables }> {
  const { write = console.log, observers = [], requestIdOf = () => undefined } = { ...options };
  return async (c, next) => {
    const started = performance.now();
    const requestId =
      requestIdOf(c.req.raw.headers, c.env) ?? headerRequestId(c.req.raw.headers) ?? crypto.randomUUID();
    c.header('X-Request-Id', requestId);
    await next();
    const record: RequestRecord = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: matchedRoute(c),
      status: c.res.status,
      durationMs: performance.now() - started,
      ...(c.get('mcpMethod') === undefined ? {} : { mcpMethod: c.get('mcpMethod') }),
      ...(c.get('toolName') === undefined ? {} : { toolName: c.get('toolName') }),
    };
    write(JSON.stringify(logEntry(record)));
    for (const observe of observers) observe(record);
  };
}

/** The log line for a record: Cloud Logging's structured format, CloudWatch-friendly. */
export function logEntry(record: RequestRecord): Record<string, unknown> {
  const label = record.toolName ?? record.mcpMethod;
  return {
    severity: record.status >= 500 ? 'ERROR' : record.status >= 400 ? 'WARNING' : 'INFO',
    message: `${record.method} ${record.path} ${record.status}${label === undefined ? '' : ` ${label}`}`,
    httpRequest: {
      requestMethod: record.method,
      requestUrl: record.path,
      status: record.status,
      latency: `${(record.durationMs / 1000).toFixed(6)}s`,
    },
    requestId: record.requestId,
    ...(record.mcpMethod === undefined ? {} : { mcpMethod: record.mcpMethod }),
    ...(record.toolName === undefined ? {} : { toolName: record.toolName }),
  };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

function headerRequestId(headers: Headers): string | undefined {
  const value = headers.get('x-request-id');
  return value !== null && REQUEST_ID.test(value) ? value : undefined;
}

function matchedRoute(c: Context): string {
  const route = routePath(c, -1);
  return route === '*' || route === '/*' ? 'unmatched' : route;
}
