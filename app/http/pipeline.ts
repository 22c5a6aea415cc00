import type { Context, Env, Handler, MiddlewareHandler, Next } from 'hono';

/** A step of a {@link pipeline}: a Hono middleware, or the handler that answers. */
export type PipelineStep<E extends Env> = MiddlewareHandler<E> | Handler<E>;

/** What a {@link pipeline} answers a step's error with (the app's error response). */
export type PipelineErrorHandler<E extends Env> = (error: unknown, c: Context<E>) => Response;

const DONE: Promise<void> = Promise.resolve();

/**
 * Hono middleware and a handler, run in order as one route handler, as Hono's own compose would
 * run them: a step's `next()` runs the rest; a Response a step returns becomes `c.res` unless one
 * is already set; an error a step throws or rejects with becomes `onError`'s response at that step,
 * so the steps around it (the access log, CORS) still see a response.
 *
 * Why not `app.use()`: when two or more handlers match a request, Hono composes them with an async
 * function and an `await` per layer; when exactly one matches, it calls it directly. A step that
 * passes a request on by returning `next()`'s own promise costs nothing here but the call, so a
 * route of six steps pays for the one or two that are async.
 *
 * Like Hono's, each step calls `next()` at most once.
 *
 * @example app.all('/mcp', pipeline([accessLog(), rateLimit(limits), endpoint], onError))
 */
export function pipeline<E extends Env>(steps: readonly PipelineStep<E>[], onError: PipelineErrorHandler<E>): (c: Context<E>) => Promise<void> {
  return (c) => {
    const run = (index: number): Promise<void> => {
      const step = steps[index];
      if (step === undefined) return DONE;
      let passedOn: Promise<void> | undefined;
      const next: Next = () => (passedOn = run(index + 1));
      let out: unknown;
      try {
        out = step(c, next);
      } catch (error) {
        c.res = onError(error, c);
        return DONE;
      }
      // The rest's own promise, handed back: its steps have already set what they answered.
      if (out === passedOn) return out as Promise<void>;
      if (out instanceof Promise) {
        return out.then(
          (answer: unknown) => answered(c, answer),
          (error: unknown) => {
            c.res = onError(error, c);
          },
        );
      }
      answered(c, out);
      return DONE;
    };
    return run(0);
  };
}

/** A step's answer becomes the response, unless a step inside it has already set one (Hono's rule). */
function answered(c: Context, answer: unknown): void {
  if (answer instanceof Response && !c.finalized) c.res = answer;
}

/** Adds a `GET` route to an app, behind the app's access log: how a platform or a mode adds a route of its own. */
export type AddGetRoute = (path: string, handler: Handler) => void;
