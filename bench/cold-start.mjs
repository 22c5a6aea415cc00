// One fresh process: the time from just before importing a Lambda bundle to its first
// handler response (an API Gateway HTTP API event for tools/list). Prints milliseconds.
const bundle = process.argv[2];
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/mcp',
  rawQueryString: '',
  headers: {
    host: 'localhost',
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    'mcp-protocol-version': '2025-11-25',
  },
  requestContext: {
    accountId: 'bench', apiId: 'bench', domainName: 'localhost', requestId: 'cold', routeKey: '$default', stage: '$default',
    http: { method: 'POST', path: '/mcp', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
    time: new Date().toISOString(), timeEpoch: Date.now(),
  },
  body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
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
