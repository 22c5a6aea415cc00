import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import { jsonString } from './json-string.js';
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
 * @example app.get('/health', pipeline([accessLog({ observers: [metrics.observe] }), health], onError))
 */
export function accessLog(options: AccessLogOptions = {}): MiddlewareHandler<{ Variables: McpVariables }> {
  const { write = console.log, observers = [], requestIdOf = () => undefined } = { ...options };
  return async (c, next) => {
    const started = performance.now();
    const requestId =
      requestIdOf(c.req.raw.headers, c.env) ?? headerRequestId(c.req.raw.headers) ?? crypto.randomUUID();
    c.set('requestId', requestId);
    await next();
    // Every response carries the id, including those a handler or middleware returns as a Response
    // of its own (errors, the SDK's answers), which Hono's c.header() before next() would not reach.
    if (c.get('requestIdSent') !== true) c.res.headers.set('X-Request-Id', requestId);
    const record: RequestRecord = {
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: matchedRoute(c),
      status: c.res.status,
      durationMs: performance.now() - started,
      mcpMethod: c.get('mcpMethod'),
      toolName: c.get('toolName'),
      server: c.get('server'),
    };
    // A tool call's line is its audit line too: one line per call.
    const audit = c.get('auditFields');
    const line = logLine(record);
    write(audit === undefined ? line : `${line.slice(0, -1)}${audit}}`);
    for (const observe of observers) observe(record);
  };
}

/**
 * The headers of a response a hot handler builds itself, plain (Hono merges several headers into a
 * `Headers` object, and the Node adapter writes plain ones fastest): `headers` and this request's
 * `X-Request-Id`, which the access log then does not add again.
 */
export function withRequestId(c: Context<{ Variables: McpVariables }>, headers: Record<string, string>): Record<string, string> {
  const requestId = c.get('requestId');
  if (requestId === undefined) return headers;
  c.set('requestIdSent', true);
  return { ...headers, 'X-Request-Id': requestId };
}

/**
 * The log line for a record, in Cloud Logging's structured format (CloudWatch reads it as well):
 * `severity`, `message`, `httpRequest`, the request id, and the MCP method, tool and server when there
 * are any. Byte for byte what `JSON.stringify` writes for those fields, written as one template: no
 * objects to build, and a `JSON.stringify` call only for a string with something to escape.
 */
export function logLine(record: RequestRecord): string {
  const { method, path, status, mcpMethod, toolName, server } = record;
  const label = toolName ?? mcpMethod;
  const severity = status >= 500 ? 'ERROR' : status >= 400 ? 'WARNING' : 'INFO';
  const message = `${method} ${path} ${status}${label === undefined ? '' : ` ${label}`}`;
  const latency = `${(record.durationMs / 1000).toFixed(6)}s`;
  const mcp = `${mcpMethod === undefined ? '' : `,"mcpMethod":${jsonString(mcpMethod)}`}${toolName === undefined ? '' : `,"toolName":${jsonString(toolName)}`}${server === undefined ? '' : `,"server":${jsonString(server)}`}`;
  return `{"severity":"${severity}","message":${jsonString(message)},"httpRequest":{"requestMethod":${jsonString(method)},"requestUrl":${jsonString(path)},"status":${status},"latency":"${latency}"},"requestId":${jsonString(record.requestId)}${mcp}}`;
}


const REQUEST_ID = /^[\w.:-]{1,128}$/;

function headerRequestId(headers: Headers): string | undefined {
  const value = headers.get('x-request-id');
  return value !== null && REQUEST_ID.test(value) ? value : undefined;
}

function matchedRoute(c: Context): string {
  // No route matched: the not-found handler runs with none.
  const route = routePath(c, -1);
  return route === '' ? 'unmatched' : route;
}
