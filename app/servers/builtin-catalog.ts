import { toolsListResult } from '../mcp/fast-path.js';
import type { ToolDefinition } from '../tools/tool.js';
import type { ServerCatalog } from './upstream.js';

/**
 * What the in-repo tools list as a server: their tools, no resources or prompts. Apart from
 * `builtin-server.ts`, so that the Lambda's cold path (which fingerprints this catalog) stays free of the SDK.
 */
export function builtinCatalog(tools: readonly ToolDefinition[]): ServerCatalog {
  return { tools: toolsListResult(tools).tools as ServerCatalog['tools'], resources: [], resourceTemplates: [], prompts: [] };
}
