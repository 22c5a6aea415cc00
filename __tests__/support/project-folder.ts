import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import { exampleConfig } from './synth.js';

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/**
 * A scratch project folder (removed after each test) holding the example environments file,
 * changed by `change`: what the operator commands read and write in their tests.
 */
export function projectFolder(change: (config: Record<string, any>) => void = () => undefined): { root: string; environmentsFile: string } {
  const root = mkdtempSync(join(tmpdir(), 'ops-test-'));
  folders.push(root);
  const config = exampleConfig();
  change(config);
  const environmentsFile = join(root, 'environments.json');
  writeFileSync(environmentsFile, JSON.stringify(config, null, 2));
  return { root, environmentsFile };
}
