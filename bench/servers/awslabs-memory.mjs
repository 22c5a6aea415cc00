// awslabs' Lambda wrapper (@aws/run-mcp-servers-with-aws-lambda) serving
// @modelcontextprotocol/server-memory the way its README shows (an API Gateway HTTP API handler
// over its stdio adapter, the server started with `npx --offline`): the cold-start row's peer.
import { APIGatewayProxyEventV2Handler, StdioServerAdapterRequestHandler } from '@aws/run-mcp-servers-with-aws-lambda';

const serverParams = { command: 'npx', args: ['--offline', '@modelcontextprotocol/server-memory'], env: { ...process.env } };
const requestHandler = new APIGatewayProxyEventV2Handler(new StdioServerAdapterRequestHandler(serverParams));

export const handler = (event, context) => requestHandler.handle(event, context);
