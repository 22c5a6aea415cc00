import { McpServer, type CallToolResult } from '@modelcontextprotocol/server';
import type { ToolContext, ToolDefinition } from '../tools/tool.js';
import { ToolInputError, errorResult, structuredResult } from '../tools/tool.js';

/** Name and version the server announces to clients. */
export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
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
    { name: identity.name, version: identity.version },
    { capabilities: { tools: { listChanged: false } }, supportedProtocolVersions: [...protocolVersions] },
  );
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: tool.inputSchema,
        outputSchema: tool.outputSchema,
        annotations: tool.annotations,
      },
      async (input: unknown) => runTool(tool, input, context),
    );
  }
  return server;
}

/** Runs one call, bounded by the context's time limit: an overrun is an error result, not a hung request. */
export async function runTool(tool: ToolDefinition, input: unknown, context: ToolContext): Promise<CallToolResult> {
  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<CallToolResult>((resolve) => {
    timer = setTimeout(
      () => resolve(errorResult(`Tool ${tool.name} did not finish within ${context.timeoutMs} ms`)),
      context.timeoutMs,
    );
  });
  const call = (async () => structuredResult(await tool.run(input as never, context)))().catch((error: unknown) => {
    if (error instanceof ToolInputError) return errorResult(error.message);
    throw error;
  });
  try {
    return await Promise.race([call, overrun]);
  } finally {
    clearTimeout(timer);
  }
}
