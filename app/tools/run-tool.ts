import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorResult, structuredResult, ToolInputError, type ToolContext, type ToolDefinition } from './tool.js';

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
