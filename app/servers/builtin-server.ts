import { ProtocolErrorCode, type CallToolResult } from '@modelcontextprotocol/server';
import { runTool } from '../tools/run-tool.js';
import { errorResult, type ToolContext, type ToolDefinition } from '../tools/tool.js';
import { builtinCatalog } from './builtin-catalog.js';
import { serverError, type UpstreamServer } from './upstream.js';

/**
 * The in-repo TypeScript tools (`app/tools/`) as one server among others: called in process, always
 * ready. Arguments are checked against the tool's schema, as the SDK's `McpServer` does.
 */
export function builtinServer(name: string, tools: readonly ToolDefinition[], context: ToolContext): UpstreamServer {
  const byName = new Map(tools.map((tool) => [tool.name, tool]));
  const catalog = builtinCatalog(tools);
  return {
    name,
    catalog: () => catalog,
    async request(method, params) {
      const tool = method === 'tools/call' ? byName.get(params.name as string) : undefined;
      if (tool === undefined) throw serverError(name, `has no ${method === 'tools/call' ? `tool ${JSON.stringify(params.name)}` : 'resources or prompts'}`, ProtocolErrorCode.InvalidParams);
      const input = tool.inputSchema.safeParse(params.arguments ?? {});
      if (!input.success) {
        const problems = input.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`).join('; ');
        return errorResult(`Input validation error: Invalid arguments for tool ${tool.name}: ${problems}`) as CallToolResult;
      }
      return runTool(tool, input.data, context);
    },
    health: () => ({ name, kind: 'builtin', state: 'ready', restarts: 0, inFlight: 0 }),
    close: async () => {},
  };
}
