import type { CallToolResult } from '@modelcontextprotocol/server';
import { errorResult, structuredResult, ToolInputError, type ToolContext, type ToolDefinition } from './tool.js';

/** A {@link ToolInputError} as the error result the model reads; anything else is a bug, rethrown. */
function inputErrorResult(error: unknown): CallToolResult {
  if (error instanceof ToolInputError) return errorResult(error.message);
  throw error;
}

/**
 * Runs one call. A tool that answers synchronously is answered at once, synchronously (no promise,
 * no timer: a timer could not interrupt it anyway, since none fires while synchronous code runs). A
 * tool that returns a promise is bounded by the context's time limit: an overrun is an error result,
 * not a hung request. Anything but a {@link ToolInputError} is thrown (or rejected) as it came.
 */
export function runTool(tool: ToolDefinition, input: unknown, context: ToolContext): CallToolResult | Promise<CallToolResult> {
  let outcome: ReturnType<ToolDefinition['run']>;
  try {
    outcome = tool.run(input as never, context);
  } catch (error) {
    return inputErrorResult(error);
  }
  if (!(outcome instanceof Promise)) return structuredResult(outcome);

  let timer: NodeJS.Timeout | undefined;
  const overrun = new Promise<CallToolResult>((resolve) => {
    timer = setTimeout(
      () => resolve(errorResult(`Tool ${tool.name} did not finish within ${context.timeoutMs} ms`)),
      context.timeoutMs,
    );
  });
  const call = outcome.then(structuredResult, inputErrorResult);
  return Promise.race([call, overrun]).finally(() => clearTimeout(timer));
}
