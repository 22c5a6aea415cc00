// One fresh process: the time from just before importing a Lambda bundle to its first
// handler response (an API Gateway HTTP API event for tools/list, in the 2025-11-25 shape or, with
// a second argument `2026-07-28`, in the shape current clients send). Prints milliseconds.
//   node cold-start.mjs <bundle> [2025-11-25|2026-07-28] [<text the tools/list answer holds> [<tool to call next>]]
// With a tool to call, a second line: the milliseconds of the warm `tools/call` after it (no arguments).
const bundle = process.argv[2];
const modern = process.argv[3] === '2026-07-28';
const expected = process.argv[4] ?? 'process_data';
const nextTool = process.argv[5];
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
if (response.statusCode !== 200 || !response.body.includes(expected)) {
  console.error(`unexpected response ${response.statusCode}: ${String(response.body).slice(0, 200)}`);
  process.exit(1);
}
process.stdout.write(`${elapsed.toFixed(2)}\n`);
if (nextTool !== undefined) {
  const call = { ...event, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/call', params: { name: nextTool, arguments: {} } }) };
  const warmStarted = performance.now();
  const warm = await handler(call, { awsRequestId: 'warm', getRemainingTimeInMillis: () => 30000 });
  const warmElapsed = performance.now() - warmStarted;
  if (warm.statusCode !== 200 || !String(warm.body).includes('"result"')) {
    console.error(`unexpected tools/call response ${warm.statusCode}: ${String(warm.body).slice(0, 200)}`);
    process.exit(1);
  }
  process.stdout.write(`${warmElapsed.toFixed(2)}\n`);
  // The servers' children would keep this process alive: its measurements are done.
  process.exit(0);
}
