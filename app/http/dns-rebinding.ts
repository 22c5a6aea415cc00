import type { MiddlewareHandler } from 'hono';
import { jsonRpcError, JsonRpcErrorCode } from '../mcp/protocol.js';

/** Options for {@link dnsRebindingProtection}. */
export interface DnsRebindingOptions {
  /**
   * Hostnames (no port) accepted in the `Host` header, and in `Origin` when a browser sends one.
   * Locally: `localhost`, `127.0.0.1`, `[::1]`. Deployed: the failover name.
   */
  readonly allowedHostnames: readonly string[];
}

/** The hostname (IPv6 in brackets, lowercase, no port) of a `Host` value or an origin URL. */
export function hostnameOf(value: string, isOrigin: boolean): string | undefined {
  try {
    return new URL(isOrigin ? value : `http://${value}`).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * Rejects requests whose `Host` or `Origin` names a host outside the allowlist (DNS
 * rebinding, as the MCP transport spec requires): 403 with a JSON-RPC error body.
 * Host and Origin are compared by hostname, whatever the port. Verdicts are
 * remembered per header value (bounded), since clients send the same few.
 *
 * @example app.use('/mcp', dnsRebindingProtection({ allowedHostnames: ['localhost', '127.0.0.1', '[::1]'] }))
 */
export function dnsRebindingProtection(options: DnsRebindingOptions): MiddlewareHandler {
  const allowed = new Set(options.allowedHostnames.map((hostname) => hostname.toLowerCase()));
  const verdicts = new Map<string, string | undefined>();
  /** `undefined` when allowed, else the reason. */
  const check = (value: string, isOrigin: boolean): string | undefined => {
    const key = `${isOrigin ? 'o' : 'h'}${value}`;
    if (verdicts.has(key)) return verdicts.get(key);
    const hostname = hostnameOf(value, isOrigin);
    const header = isOrigin ? 'Origin' : 'Host';
    const verdict =
      hostname === undefined
        ? `Invalid ${header} header: ${value.slice(0, 100)}`
        : allowed.has(hostname)
          ? undefined
          : `Invalid ${header}: ${hostname.slice(0, 100)}`;
    verdicts.set(key, verdict);
    if (verdicts.size > 256) verdicts.delete(verdicts.keys().next().value!);
    return verdict;
  };
  // Not async: a request that passes goes on with next()'s own promise, no wrapper of this layer's.
  return (c, next) => {
    const host = c.req.header('host');
    const problem = host === undefined ? 'Missing Host header' : check(host, false);
    const origin = c.req.header('origin');
    const originProblem = problem ?? (origin === undefined ? undefined : check(origin, true));
    if (originProblem !== undefined) return Promise.resolve(jsonRpcError(403, JsonRpcErrorCode.ServerError, originProblem));
    return next();
  };
}
