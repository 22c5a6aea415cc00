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
  /** The verdict on each header value seen (bounded, per header): `''` when allowed, else the reason. */
  const verdicts = { Host: new Map<string, string>(), Origin: new Map<string, string>() };
  /** `undefined` when allowed, else the reason. */
  const check = (value: string, header: 'Host' | 'Origin'): string | undefined => {
    const seen = verdicts[header];
    let verdict = seen.get(value);
    if (verdict === undefined) {
      const hostname = hostnameOf(value, header === 'Origin');
      verdict =
        hostname === undefined
          ? `Invalid ${header} header: ${value.slice(0, 100)}`
          : allowed.has(hostname)
            ? ''
            : `Invalid ${header}: ${hostname.slice(0, 100)}`;
      seen.set(value, verdict);
      if (seen.size > 256) seen.delete(seen.keys().next().value!);
    }
    return verdict === '' ? undefined : verdict;
  };
  // Not async: a request that passes goes on with next()'s own promise, no wrapper of this layer's.
  return (c, next) => {
    const host = c.req.header('host');
    const problem = host === undefined ? 'Missing Host header' : check(host, 'Host');
    const origin = c.req.header('origin');
    const originProblem = problem ?? (origin === undefined ? undefined : check(origin, 'Origin'));
    if (originProblem !== undefined) return Promise.resolve(jsonRpcError(403, JsonRpcErrorCode.ServerError, originProblem));
    return next();
  };
}
