import { Hono, type MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../app/create-app.js';
import { pipeline } from '../../app/http/pipeline.js';
import { HealthReporter } from '../../app/runtime.js';

/** A step that records that it ran, then passes the request on as the app's guards do (`next()`'s own promise). */
const passing = (name: string, ran: string[]): MiddlewareHandler => (_c, next) => {
  ran.push(name);
  return next();
};

/** A Hono app serving one pipeline on GET /, whose errors become a 500 naming the error. */
function appOf(...steps: Parameters<typeof pipeline>[0]) {
  const app = new Hono();
  app.get('/', pipeline(steps, (error, c) => c.text(`failed: ${(error as Error).message}`, 500)));
  return app;
}

describe('pipeline: middleware and a handler as one route handler, run as Hono composes them', () => {
  it('runs the steps in order and answers with the handler’s response', async () => {
    const ran: string[] = [];
    const res = await appOf(passing('a', ran), passing('b', ran), (c) => c.text('answer')).request('/');
    expect(ran).toEqual(['a', 'b']);
    expect(await res.text()).toBe('answer');
  });

  it('lets a step answer early: the steps after it never run', async () => {
    const ran: string[] = [];
    const refuse: MiddlewareHandler = async () => new Response('refused', { status: 403 });
    const res = await appOf(passing('a', ran), refuse, passing('never', ran), (c) => c.text('answer')).request('/');
    expect(res.status).toBe(403);
    expect(ran).toEqual(['a']);
  });

  it('lets a step around the rest see and change the response the rest answered (the access log, CORS)', async () => {
    const seen: number[] = [];
    const around: MiddlewareHandler = async (c, next) => {
      await next();
      seen.push(c.res.status);
      c.res.headers.set('X-Around', 'yes');
    };
    const res = await appOf(around, passing('b', []), (c) => c.text('created', 201)).request('/');
    expect(seen).toEqual([201]);
    expect(res.headers.get('x-around')).toBe('yes');
    const preflight = await appOf(cors({ origin: 'https://app.example.com' }), (c) => c.text('answer')).request('/', {
      headers: { origin: 'https://app.example.com' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(await preflight.text()).toBe('answer');
  });

  it('answers an error at the step that threw or rejected, so the steps around it still see a response', async () => {
    for (const failing of [
      () => {
        throw new Error('thrown');
      },
      async () => {
        throw new Error('rejected');
      },
    ]) {
      const seen: number[] = [];
      const around: MiddlewareHandler = async (c, next) => {
        await next();
        seen.push(c.res.status);
      };
      const res = await appOf(around, passing('b', []), failing).request('/');
      expect(res.status).toBe(500);
      expect(await res.text()).toMatch(/^failed: (thrown|rejected)$/);
      expect(seen).toEqual([500]);
    }
  });

  it('keeps the response a step inside set over what an outer step returns after it (Hono’s rule)', async () => {
    const outer: MiddlewareHandler = async (_c, next) => {
      await next();
      return new Response('late', { status: 202 });
    };
    const res = await appOf(outer, (c) => c.text('inner', 200)).request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('inner');
  });
});

describe('the bridge app: every route is one handler', () => {
  const health = new HealthReporter({ version: 'test', platform: 'local', region: 'local', startedAtMs: 0 });

  it('registers one handler per route and no app-wide middleware, so Hono never composes layers for a request', () => {
    const app = createApp({
      health,
      allowedHostnames: ['localhost'],
      auth: { mode: 'oauth', issuer: 'https://issuer.example.com', resource: 'https://mcp.example.com/mcp', requiredScopes: [] },
      extraRoutes: (get) => get('/metrics', (c) => c.text('metrics')),
    });
    const routes = app.routes.map(({ method, path }) => `${method} ${path}`);
    expect(routes).toContain('ALL /mcp');
    expect(routes).toContain('GET /metrics');
    expect(routes).toContain('GET /.well-known/oauth-protected-resource');
    expect(new Set(routes).size).toBe(routes.length);
    expect(routes.filter((route) => route.includes('*'))).toEqual([]);
  });

  it('answers a route’s error with a 500, logs it, and the access log names it with its request id', async () => {
    const lines: string[] = [];
    const app = createApp({
      health,
      allowedHostnames: ['localhost'],
      log: (line) => lines.push(line),
      extraRoutes: (get) =>
        get('/metrics', () => {
          throw new Error('registry broke');
        }),
    });
    const res = await app.request('/metrics', { headers: { 'x-request-id': 'req-fails-1' } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal_error', message: 'Internal error' });
    expect(res.headers.get('x-request-id')).toBe('req-fails-1');
    const logged = lines.map((line) => JSON.parse(line));
    expect(logged).toContainEqual({ severity: 'ERROR', message: 'MCP server error: registry broke' });
    expect(logged).toContainEqual(
      expect.objectContaining({ severity: 'ERROR', requestId: 'req-fails-1', httpRequest: expect.objectContaining({ requestUrl: '/metrics', status: 500 }) }),
    );
  });

  it('logs a request no route serves as unmatched, with a 404', async () => {
    const routes: string[] = [];
    const app = createApp({ health, allowedHostnames: ['localhost'], log: () => {}, observers: [(record) => routes.push(`${record.route} ${record.status}`)] });
    expect((await app.request('/no/such/path')).status).toBe(404);
    expect((await app.request('/health', { method: 'POST' })).status).toBe(404);
    expect((await app.request('/health')).status).toBe(200);
    expect(routes).toEqual(['unmatched 404', 'unmatched 404', '/health 200']);
  });
});
