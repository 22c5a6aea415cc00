import { validateHostHeader, validateOriginHeader } from '@modelcontextprotocol/server';
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
  // Clients send the same few Host values: remember the verdicts (bounded, oldest forgotten first).
  const verdicts = new Map<string, ReturnType<typeof validateHostHeader>>();
  const checkHost = (value: string | undefined) => {
    if (value === undefined) return validateHostHeader(value, hostnames);
    let verdict = verdicts.get(value);
    if (verdict === undefined) {
      verdict = validateHostHeader(value, hostnames);
      verdicts.set(value, verdict);
      if (verdicts.size > 256) verdicts.delete(verdicts.keys().next().value!);
    }
    return verdict;
  };
  return async (c, next) => {
    // Header strings only: building the full web Request here would cost more than the whole fast path.
    const host = checkHost(c.req.header('host'));
    if (!host.ok) return forbidden(host.message);
    const origin = c.req.header('origin');
    if (origin !== undefined) {
      const checked = validateOriginHeader(origin, hostnames);
      if (!checked.ok) return forbidden(checked.message);
    }
    await next();
  };
}

function forbidden(message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: '2.0', error: { code: -32000, message }, id: null }), {
    status: 403,
    headers: { 'Content-Type': 'application/json' },
  });
}
