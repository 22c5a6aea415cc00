import { McpServer, type StandardSchemaWithJSON } from '@modelcontextprotocol/server';
import { runTool } from '../tools/run-tool.js';
import type { ToolContext, ToolDefinition } from '../tools/tool.js';

/** Name and version the server announces to clients. */
export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
  /**
   * What `serverInfo` carries beyond name and version: the fingerprint of the contract the endpoint
   * serves (`CONTRACT_META_KEY`, see `app/contract/contract.ts`).
   * @default - nothing
   */
  readonly _meta?: Readonly<Record<string, unknown>>;
}

/**
 * Builds a fresh MCP server with every tool registered. Called once per HTTP request:
 * a server (and its transport) is never shared between requests, which is what keeps
 * one client's response from reaching another (CVE-2026-25536).
 */
export function buildServer(
  identity: ServerIdentity,
  tools: readonly ToolDefinition[],
  context: ToolContext,
  protocolVersions: readonly string[],
): McpServer {
  const server = new McpServer(
    { ...identity },
    { capabilities: { tools: { listChanged: false } }, supportedProtocolVersions: [...protocolVersions] },
  );
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        // toolSchema() gives these the Standard JSON Schema face the SDK renders from.
        inputSchema: tool.inputSchema as unknown as StandardSchemaWithJSON,
        outputSchema: tool.outputSchema as unknown as StandardSchemaWithJSON,
        annotations: tool.annotations,
      },
      async (input: unknown) => runTool(tool, input, context),
    );
  }
  return server;
}

