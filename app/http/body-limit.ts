import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/**
 * Refuses bodies over `maxBytes` before reading them. A declared `Content-Length` is
 * checked from the header alone (the common case, and the cheap one: the body stays
 * unread for the handler's fast reader); a streamed body is counted by Hono's
 * `bodyLimit` as it arrives and refused once it passes the limit.
 *
 * @example app.post('/mcp', requestBodyLimit({ maxBytes: 1_048_576, onError: () => c.text('too large', 413) }))
 */
export function requestBodyLimit(options: { readonly maxBytes: number; readonly onError: () => Response }): MiddlewareHandler {
  const streamed = bodyLimit({ maxSize: options.maxBytes, onError: options.onError });
  // Not async: a request that passes goes on with next()'s own promise, no wrapper of this layer's.
  return (c, next) => {
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined) {
      return Number(declared) > options.maxBytes ? Promise.resolve(options.onError()) : next();
    }
    return streamed(c, next);
  };
}
