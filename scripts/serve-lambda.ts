// Serves the Lambda entry on a local port, turning each HTTP request into an API Gateway
// HTTP API (payload 2.0) event, as API Gateway does. For smoke tests and local checks of
// the Lambda build:  PORT=9000 MCP_ALLOWED_HOSTS=localhost,127.0.0.1 npx tsx scripts/serve-lambda.ts
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { lambdaContext, lambdaEvent } from './lambda-events.js';

type LambdaHandler = (event: unknown, context: unknown) => Promise<{
  statusCode: number;
  headers?: Record<string, string>;
  cookies?: string[];
  body?: string;
  isBase64Encoded?: boolean;
}>;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** An HTTP server in front of a Lambda handler, speaking payload format 2.0. */
export function serveLambda(handler: LambdaHandler): Server {
  return createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readBody(req);
    const requestId = randomUUID();
    const headers = Object.fromEntries(
      Object.entries(req.headers).map(([key, value]) => [key, Array.isArray(value) ? value.join(',') : (value ?? '')]),
    );
    const event = lambdaEvent(
      'http-v2',
      {
        method: req.method ?? 'GET',
        path: url.pathname,
        headers,
        query: url.search.slice(1),
        ...(body === '' ? {} : { body }),
        ...(req.socket.remoteAddress === undefined ? {} : { sourceIp: req.socket.remoteAddress }),
      },
      requestId,
    );
    const result = await handler(event, lambdaContext(requestId));
    res.writeHead(result.statusCode, result.headers ?? {});
    res.end(result.body === undefined ? undefined : Buffer.from(result.body, result.isBase64Encoded ? 'base64' : 'utf8'));
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { handler } = (await import('../app/lambda.js')) as unknown as { handler: LambdaHandler };
  const port = Number(process.env.PORT ?? 9000);
  serveLambda(handler).listen(port, '127.0.0.1', () => console.log(`Lambda handler on http://127.0.0.1:${port}/mcp`));
}
