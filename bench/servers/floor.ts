// The floor: a bare node:http server that reads the request body and sends back, byte for byte,
// what the bridge answered to that same body (BENCH_FLOOR_RESPONSES: a JSON file mapping each
// request body to the bridge's response body, recorded by the bench before it starts). No
// routing, no validation, no MCP: what any bridge can at best approach for that request.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const responses = new Map(Object.entries(JSON.parse(readFileSync(process.env.BENCH_FLOOR_RESPONSES!, 'utf8')) as Record<string, string>));

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const response = responses.get(body);
    res.writeHead(response === undefined ? 404 : 200, { 'content-type': 'application/json' });
    res.end(response ?? '{}');
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening on http://0.0.0.0:${address.port}/mcp`);
});
