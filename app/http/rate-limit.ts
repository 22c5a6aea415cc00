import type { Context, MiddlewareHandler } from 'hono';
import { jsonRpcError, JsonRpcErrorCode } from '../mcp/protocol.js';

/** Options for {@link rateLimit}. */
export interface RateLimitOptions {
  /** Sustained requests per minute each client may make. */
  readonly requestsPerMinute: number;
  /** Requests a client may make at once after being idle (the bucket size). */
  readonly burst: number;
  /** Who the client is: the authenticated principal, else its address. */
  readonly clientKeyOf: (c: Context) => string;
  /**
   * Clients tracked at most; the longest-idle are forgotten first.
   * @default 10000
   */
  readonly maxClients?: number;
  /**
   * The clock, in milliseconds.
   * @default Date.now
   */
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * A token bucket per client, per instance: each request takes a token, tokens refill
 * at `requestsPerMinute`. An empty bucket answers 429 with `Retry-After` (seconds until
 * the next token) and a JSON-RPC error body. Memory is bounded by `maxClients`.
 *
 * @example app.use('/mcp', rateLimit({ requestsPerMinute: 600, burst: 60, clientKeyOf }))
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { requestsPerMinute, burst, clientKeyOf, maxClients = 10_000, now = Date.now } = options;
  const refillPerMs = requestsPerMinute / 60_000;
  const buckets = new Map<string, Bucket>();

  return async (c, next) => {
    const key = clientKeyOf(c);
    const at = now();
    const previous = buckets.get(key);
    const tokens =
      previous === undefined ? burst : Math.min(burst, previous.tokens + (at - previous.updatedMs) * refillPerMs);
    // Re-insert so the Map's order is least recently seen first.
    buckets.delete(key);
    if (tokens < 1) {
      buckets.set(key, { tokens, updatedMs: at });
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - tokens) / refillPerMs / 1000));
      return jsonRpcError(429, JsonRpcErrorCode.ServerError, `Too Many Requests: retry after ${retryAfterSeconds} s`, {
        'Retry-After': String(retryAfterSeconds),
      });
    }
    buckets.set(key, { tokens: tokens - 1, updatedMs: at });
    if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
    await next();
  };
}
