// The tests' own Python environment (__tests__/support/python-env.ts): what a fresh clone's
// `npm test` makes before the Python clients run.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { ensurePythonEnvironment, testPython } from '../support/python-env.js';

const scratch = mkdtempSync(join(tmpdir(), 'python-env-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the tests\' Python environment', () => {
  it('GIVEN the globalSetup ran, THEN its interpreter imports the pinned official SDK', () => {
    const version = execFileSync(testPython(), ['-c', 'import importlib.metadata as m; print(m.version("mcp"))'], { encoding: 'utf8' }).trim();
    const pinned = /^mcp==(.+)$/m.exec(readFileSync(new URL('../clients/requirements.txt', import.meta.url), 'utf8'))![1];
    expect(version).toBe(pinned);
  });

  it('GIVEN an environment made from the requirements file, WHEN asked again, THEN it is reused as it is', async () => {
    const lines: string[] = [];
    const folder = testPython().replace(/\/bin\/python$/, '');
    await expect(ensurePythonEnvironment({ folder, log: (line) => lines.push(line) })).resolves.toBe(`${folder}/bin/python`);
    expect(lines).toEqual([]);
  });

  it('GIVEN no python3 on PATH, THEN it says what is missing and how to install it, and leaves no folder behind', async () => {
    const folder = join(scratch, 'venv');
    await expect(ensurePythonEnvironment({ folder, env: { PATH: scratch }, log: () => undefined })).rejects.toThrow(
      /python3 is not on PATH.*apt-get install python3 python3-venv/,
    );
    expect(existsSync(folder)).toBe(false);
  });
});
