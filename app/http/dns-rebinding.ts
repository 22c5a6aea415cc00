import { hostHeaderValidationResponse, originValidationResponse } from '@modelcontextprotocol/server';
import type { MiddlewareHandler } from 'hono';

/** Options for {@link dnsRebindingProtection}. */
export interface DnsRebindingOptions {
  /**
   * Hostnames (no port) accepted in the `Host` header, and in `Origin` when a browser sends one.
   * Locally: `localhost`, `127.0.0.1`, `[::1]`. Deployed: the failover name and each platform's own hostname.
   */
  readonly allowedHostnames: readonly string[];
}

/**
 * Rejects requests whose `Host` or `Origin` names a host outside the allowlist
 * (DNS rebinding), using the MCP SDK's own validators: 403 with a JSON-RPC error body.
 *
 * @example app.use('/mcp', dnsRebindingProtection({ allowedHostnames: ['localhost', '127.0.0.1', '[::1]'] }))
 */
export function dnsRebindingProtection(options: DnsRebindingOptions): MiddlewareHandler {
  const hostnames = [...options.allowedHostnames];
  return async (c, next) => {
    const rejection = hostHeaderValidationResponse(c.req.raw, hostnames) ?? originValidationResponse(c.req.raw, hostnames);
    if (rejection !== undefined) return rejection;
    await next();
  };
}
