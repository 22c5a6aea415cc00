import { healthCheckTool } from './health-check.js';
import { processDataTool } from './process-data.js';
import type { ToolDefinition } from './tool.js';

/** Every tool the bridge serves, in the order `tools/list` shows them. */
export const tools: readonly ToolDefinition[] = [
  processDataTool as unknown as ToolDefinition,
  healthCheckTool as unknown as ToolDefinition,
];
