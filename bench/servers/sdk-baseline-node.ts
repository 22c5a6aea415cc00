// Serves the SDK baseline app on a local port for the throughput benchmark.
import { serve } from '@hono/node-server';
import { app } from './sdk-baseline.js';

serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 0), hostname: '127.0.0.1' }, (info) =>
  console.log(`listening on http://0.0.0.0:${info.port}/mcp`),
);
