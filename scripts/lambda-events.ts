/**
 * The three event shapes the Lambda entry serves, built as AWS sends them: the test
 * fixtures, and what `serve-lambda.ts` hands the handler for each local request.
 */
export type LambdaEventKind = 'rest-v1' | 'http-v2' | 'function-url';

/** One HTTP request, to be rendered as an event of each kind. */
export interface PlainRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  /**
   * The query string, without `?`.
   * @default ''
   */
  readonly query?: string;
  /**
   * The caller's address as API Gateway reports it.
   * @default '203.0.113.10'
   */
  readonly sourceIp?: string;
}

const DEFAULT_SOURCE_IP = '203.0.113.10';

const ACCOUNT = '123456789012';

/** An API Gateway REST API (payload 1.0) event, as delivered through a regional custom domain. */
function restV1Event(request: PlainRequest, requestId: string) {
  return {
    resource: '/{proxy+}',
    path: request.path,
    httpMethod: request.method,
    headers: request.headers,
    multiValueHeaders: Object.fromEntries(Object.entries(request.headers).map(([key, value]) => [key, [value]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { proxy: request.path.slice(1) },
    stageVariables: null,
    requestContext: {
      accountId: ACCOUNT,
      apiId: 'a1b2c3d4e5',
      domainName: 'mcp.example.com',
      httpMethod: request.method,
      identity: { sourceIp: request.sourceIp ?? DEFAULT_SOURCE_IP, userAgent: request.headers['user-agent'] ?? 'test' },
      path: request.path,
      protocol: 'HTTP/1.1',
      requestId,
      requestTimeEpoch: Date.now(),
      resourceId: 'abc123',
      resourcePath: '/{proxy+}',
      stage: 'live',
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}

/** An HTTP API (payload 2.0) or Function URL event: the same format, different request contexts. */
function v2Event(request: PlainRequest, requestId: string, functionUrl: boolean) {
  const domainName = functionUrl ? 'abcdefghijklmnop.lambda-url.eu-west-1.on.aws' : 'mcp.example.com';
  return {
    version: '2.0',
    routeKey: functionUrl ? '$default' : `${request.method} ${request.path}`,
    rawPath: request.path,
    rawQueryString: request.query ?? '',
    headers: request.headers,
    requestContext: {
      accountId: functionUrl ? 'anonymous' : ACCOUNT,
      apiId: functionUrl ? 'abcdefghijklmnop' : 'a1b2c3d4e5',
      domainName,
      domainPrefix: domainName.split('.')[0],
      http: {
        method: request.method,
        path: request.path,
        protocol: 'HTTP/1.1',
        sourceIp: request.sourceIp ?? DEFAULT_SOURCE_IP,
        userAgent: request.headers['user-agent'] ?? 'test',
      },
      requestId,
      routeKey: functionUrl ? '$default' : `${request.method} ${request.path}`,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
}

/** Renders a request as a Lambda event of the given kind. */
export function lambdaEvent(kind: LambdaEventKind, request: PlainRequest, requestId = 'evt-request-id') {
  switch (kind) {
    case 'rest-v1':
      return restV1Event(request, requestId);
    case 'http-v2':
      return v2Event(request, requestId, false);
    case 'function-url':
      return v2Event(request, requestId, true);
  }
}

/** A Lambda context with the fields the app reads. */
export function lambdaContext(awsRequestId: string) {
  return {
    awsRequestId,
    functionName: 'mcp-bridge',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:${ACCOUNT}:function:mcp-bridge`,
    memoryLimitInMB: '512',
    logGroupName: '/aws/lambda/mcp-bridge',
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => 30_000,
  };
}
