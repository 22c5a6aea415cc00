import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { HealthReporter } from '../../../app/runtime.js';
import { processDataTool } from '../../../app/tools/process-data.js';
import { runTool } from '../../../app/tools/run-tool.js';
import { toolSchema } from '../../../app/tools/schema.js';
import { ToolInputError, type ToolDefinition } from '../../../app/tools/tool.js';

const context = { health: new HealthReporter({ version: 't', platform: 'local', region: 'local', startedAtMs: Date.now() }), timeoutMs: 50 };

/** A tool whose `run` is the given function. */
const toolRunning = (run: ToolDefinition['run']): ToolDefinition => ({
  name: 'probe',
  title: 'Probe',
  description: 'A tool for the test',
  inputSchema: toolSchema({}),
  outputSchema: toolSchema({ done: z.boolean() }),
  annotations: {},
  run,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runTool', () => {
  it('answers a synchronous tool at once, without arming a timer (none could interrupt it)', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const result = await runTool(processDataTool, { operation: 'transform', data: { user_name: ' Ada ' } }, context);
    expect(result.structuredContent).toEqual({ operation: 'transform', result: { userName: 'Ada' } });
    expect(timers).not.toHaveBeenCalled();
  });

  it('bounds a tool that returns a promise by the time limit', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    const result = await runTool(toolRunning(() => new Promise((resolve) => setTimeout(() => resolve({ done: true }), 1_000))), {}, context);
    expect(result).toEqual({ isError: true, content: [{ type: 'text', text: 'Tool probe did not finish within 50 ms' }] });
    expect(timers).toHaveBeenCalledWith(expect.any(Function), 50);
  });

  it('answers an input problem with an error result, thrown at once or from a promise', async () => {
    const problem = new ToolInputError('schema', 'required when operation is "validate"');
    for (const run of [() => { throw problem; }, () => Promise.reject(problem)]) {
      expect(await runTool(toolRunning(run), {}, context)).toEqual({ isError: true, content: [{ type: 'text', text: problem.message }] });
    }
    expect(await runTool(processDataTool, { operation: 'validate', data: 1 }, context)).toMatchObject({ isError: true, content: [{ text: 'Invalid argument "schema": required when operation is "validate"' }] });
  });

  it('lets any other failure through as it came, thrown at once or rejected (a bug, for the SDK to word)', async () => {
    const bug = new TypeError('boom');
    expect(() => runTool(toolRunning(() => { throw bug; }), {}, context)).toThrow(bug);
    await expect(runTool(toolRunning(() => Promise.reject(bug)), {}, context)).rejects.toBe(bug);
  });

  it('answers a synchronous tool synchronously: no promise to wait for', () => {
    const result = runTool(toolRunning(() => ({ done: true })), {}, context);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ content: [{ type: 'text', text: '{"done":true}' }], structuredContent: { done: true } });
  });
});
