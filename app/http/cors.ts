import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { hostnameOf } from './dns-rebinding.js';

/** Request headers a browser MCP client sends. */
const MCP_REQUEST_HEADERS = ['Content-Type', 'Accept', 'Authorization', 'MCP-Protocol-Version', 'Mcp-Method', 'Mcp-Name', 'Last-Event-ID'];
/** Response headers a browser MCP client must be able to read. */
const MCP_RESPONSE_HEADERS = ['MCP-Protocol-Version', 'WWW-Authenticate', 'Retry-After', 'X-Request-Id'];

/**
 * CORS for browser MCP clients on allowed origins only (those whose hostname is in
 * the allowlist; others are refused earlier by DNS-rebinding protection), exposing
 * the MCP headers.
 *
 * @example app.use('/mcp', mcpCors({ allowedHostnames: ['mcp.example.com'] }))
 */
export function mcpCors(options: { readonly allowedHostnames: readonly string[] }): MiddlewareHandler {
  const allowed = new Set(options.allowedHostnames.map((hostname) => hostname.toLowerCase()));
  const handler = cors({
    origin: (origin) => {
      const hostname = hostnameOf(origin, true);
      return hostname !== undefined && allowed.has(hostname) ? origin : null;
    },
    allowMethods: ['POST', 'OPTIONS'],
    allowHeaders: MCP_REQUEST_HEADERS,
    exposeHeaders: MCP_RESPONSE_HEADERS,
    maxAge: 600,
  });
  // Only browsers send Origin; other clients need no CORS headers (and skip their cost).
  return (c, next) => (c.req.header('origin') === undefined ? next() : handler(c, next));
}
