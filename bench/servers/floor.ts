// The floor: a bare node:http server that parses the JSON-RPC body and returns a fixed,
// correct JSON-RPC response. No validation, no MCP: what any bridge can at best approach.
import { createServer } from 'node:http';
import { toolsListResult } from '../../app/mcp/fast-path.js';
import { tools } from '../../app/tools/registry.js';

const toolsList = JSON.stringify(toolsListResult(tools));
const callResult = JSON.stringify({
  content: [{ type: 'text', text: '{"operation":"transform","result":{"userName":"x"}}' }],
  structuredContent: { operation: 'transform', result: { userName: 'x' } },
});

const server = createServer((req, res) => {
  let body = '';
  req.setEncoding('utf8');
  req.on('data', (chunk: string) => (body += chunk));
  req.on('end', () => {
    const message = JSON.parse(body) as { id: unknown; method: string };
    const result = message.method === 'tools/list' ? toolsList : callResult;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${result}}`);
  });
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  console.log(`listening on http://0.0.0.0:${address.port}/mcp`);
});
