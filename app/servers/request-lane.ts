import { SdkError, SdkErrorCode, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/client';
import { ProtocolError, type Result } from '@modelcontextprotocol/server';
import { checkForwardedResult } from './forwarded-results.js';
import type { ForwardedMethod } from './upstream.js';

/** Options of one {@link RequestLane.send}. */
export interface LaneRequestOptions {
  /** The client went away: the request is cancelled at the server. */
  readonly signal: AbortSignal;
  /** How long the server has to answer, in milliseconds; then the request is cancelled at the server. */
  readonly timeoutMs: number;
}

/**
 * The forwarded requests' own way over a connection the SDK client opened and negotiated: each
 * request goes out under an id of the lane's own (`bridge-<n>`, never one of the client's numbers)
 * and its answer is taken off the transport before the client sees it. What the client does per
 * request for any caller (its era gates, its result-type decoding, its schema lookup, a promise
 * chain per step) is what a forwarded call cannot afford; what the bridge needs of it is here: the
 * revision's `_meta` envelope on a 2026-07-28 connection, a timeout, `notifications/cancelled`, the
 * result's shape checked, and the same errors the client raises, so the supervisor words them alike.
 * Everything else on the connection (lists, notifications, answers to ids it did not send) is the
 * client's, as before.
 */
export interface RequestLane {
  /** Sends one request and resolves with its result; rejects as the SDK client's `request()` would. */
  send(method: ForwardedMethod, params: Record<string, unknown>, options: LaneRequestOptions): Promise<Result>;
  /** Answers every request still waiting with the connection's end (the SDK's `ConnectionClosed`). */
  closeAll(): void;
}

/** Options of {@link openRequestLane}. */
export interface RequestLaneOptions {
  /**
   * The `_meta` every request carries on a connection negotiated at 2026-07-28 (protocol version,
   * client info and capabilities), or `undefined` on a 2025 one, whose requests carry none.
   */
  readonly envelope: Record<string, unknown> | undefined;
  /** Receives a problem sending a cancellation (the connection went at that moment). */
  readonly onProblem: (message: string) => void;
}

interface Waiting {
  readonly method: ForwardedMethod;
  readonly resolve: (result: Result) => void;
  readonly reject: (error: unknown) => void;
  readonly timer: NodeJS.Timeout;
  readonly signal: AbortSignal;
  readonly onAbort: () => void;
}

/** Opens the lane on a connected client's transport: from now on it sees every message first. */
export function openRequestLane(transport: Transport, options: RequestLaneOptions): RequestLane {
  const waiting = new Map<string, Waiting>();
  let nextId = 1;
  const clientOnMessage = transport.onmessage;
  transport.onmessage = (message, extra) => {
    const id = (message as { id?: unknown }).id;
    const owner = typeof id === 'string' && !('method' in message) ? waiting.get(id) : undefined;
    if (owner === undefined) return clientOnMessage?.(message, extra);
    settle(id as string, owner);
    answer(owner, message);
  };

  const settle = (id: string, owner: Waiting) => {
    waiting.delete(id);
    clearTimeout(owner.timer);
    owner.signal.removeEventListener('abort', owner.onAbort);
  };

  const answer = (owner: Waiting, message: JSONRPCMessage) => {
    const { result, error } = message as { result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } };
    if (error !== undefined) {
      return owner.reject(
        typeof error === 'object' && error !== null && typeof error.code === 'number' && typeof error.message === 'string'
          ? ProtocolError.fromError(error.code, error.message, error.data)
          : new SdkError(SdkErrorCode.InvalidResult, `Invalid error for ${owner.method}: it has no numeric code and string message`),
      );
    }
    const checked = checkForwardedResult(owner.method, result, options.envelope !== undefined);
    if (typeof checked === 'string') owner.reject(new SdkError(SdkErrorCode.InvalidResult, `Invalid result for ${owner.method}: ${checked}`));
    else owner.resolve(checked.result);
  };

  /** Stops waiting for `id`: the server is told with `notifications/cancelled`, the caller gets `error`. */
  const cancel = (id: string, reason: string, error: SdkError) => {
    const owner = waiting.get(id);
    if (owner === undefined) return;
    settle(id, owner);
    transport
      .send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: id, reason, ...(options.envelope === undefined ? {} : { _meta: options.envelope }) } })
      .catch((sendError: Error) => options.onProblem(`sending notifications/cancelled for ${owner.method} failed: ${sendError.message}`));
    owner.reject(error);
  };

  return {
    send(method, params, { signal, timeoutMs }) {
      if (signal.aborted) return Promise.reject(new SdkError(SdkErrorCode.RequestTimeout, 'The client went away before the request was sent'));
      const id = `bridge-${nextId++}`;
      const outgoing = options.envelope === undefined ? params : { ...params, _meta: { ...options.envelope, ...(params._meta as Record<string, unknown> | undefined) } };
      return new Promise<Result>((resolve, reject) => {
        const onAbort = () => cancel(id, 'the client went away', new SdkError(SdkErrorCode.RequestTimeout, 'The client went away'));
        const timer = setTimeout(() => cancel(id, `no answer within ${timeoutMs} ms`, new SdkError(SdkErrorCode.RequestTimeout, 'Request timed out', { timeout: timeoutMs })), timeoutMs);
        waiting.set(id, { method, resolve, reject, timer, signal, onAbort });
        signal.addEventListener('abort', onAbort, { once: true });
        transport.send({ jsonrpc: '2.0', id, method, params: outgoing }).catch((error: Error) => {
          const owner = waiting.get(id);
          if (owner === undefined) return;
          settle(id, owner);
          reject(new SdkError(SdkErrorCode.ConnectionClosed, `Sending ${method} failed: ${error.message}`));
        });
      });
    },
    closeAll() {
      for (const [id, owner] of waiting) {
        settle(id, owner);
        owner.reject(new SdkError(SdkErrorCode.ConnectionClosed, 'Connection closed'));
      }
    },
  };
}
