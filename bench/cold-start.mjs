// One fresh process: the time from just before importing a Lambda bundle to its first
// handler response (an API Gateway HTTP API event for tools/list, in the 2025-11-25 shape or, with
// a second argument `2026-07-28`, in the shape current clients send). Prints milliseconds.
const bundle = process.argv[2];
const modern = process.argv[3] === '2026-07-28';
const envelope = {
  'io.modelcontextprotocol/protocolVersion': '2026-07-28',
  'io.modelcontextprotocol/clientInfo': { name: 'mcp', version: '0.1.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/mcp',
  rawQueryString: '',
  headers: {
    host: 'localhost',
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': modern ? '2026-07-28' : '2025-11-25',
    ...(modern ? { 'mcp-method': 'tools/list' } : {}),
  },
  requestContext: {
    accountId: 'bench', apiId: 'bench', domainName: 'localhost', requestId: 'cold', routeKey: '$default', stage: '$default',
    http: { method: 'POST', path: '/mcp', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    time: new Date().toISOString(), timeEpoch: Date.now(),
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', ...(modern ? { params: { _meta: envelope } } : {}) }),
  isBase64Encoded: false,
};
const started = performance.now();
const { handler } = await import(bundle);
const response = await handler(event, { awsRequestId: 'cold', getRemainingTimeInMillis: () => 30000 });
const elapsed = performance.now() - started;
if (response.statusCode !== 200 || !response.body.includes('process_data')) {
  console.error(`unexpected response ${response.statusCode}: ${String(response.body).slice(0, 200)}`);
  process.exit(1);
}
process.stdout.write(`${elapsed.toFixed(2)}\n`);
