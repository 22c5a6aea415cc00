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
   * Clients tracked at most; past it, the client seen first is forgotten (its bucket starts full
   * again: forgetting never limits a client more). A bucket is updated in place, not re-inserted,
   * so a request costs no allocation.
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

  // Not async: a request that passes goes on with next()'s own promise, no wrapper of this layer's.
  return (c, next) => {
    const key = clientKeyOf(c);
    const at = now();
    let bucket = buckets.get(key);
    if (bucket === undefined) {
      bucket = { tokens: burst, updatedMs: at };
      buckets.set(key, bucket);
      // The Map keeps insertion order: the first entry is the client seen first.
      if (buckets.size > maxClients) buckets.delete(buckets.keys().next().value!);
    } else {
      bucket.tokens = Math.min(burst, bucket.tokens + (at - bucket.updatedMs) * refillPerMs);
      bucket.updatedMs = at;
    }
    if (bucket.tokens < 1) {
      const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000));
      return Promise.resolve(
        jsonRpcError(429, JsonRpcErrorCode.ServerError, `Too Many Requests: retry after ${retryAfterSeconds} s`, {
          'Retry-After': String(retryAfterSeconds),
        }),
      );
    }
    bucket.tokens -= 1;
    return next();
  };
}
