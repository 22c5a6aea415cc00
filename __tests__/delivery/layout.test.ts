// The arrows between the top-level folders (ARCHITECTURE.md): config → stacks → synthesized
// Terraform → ops; app/ imports nothing from stacks/ or ops/; scripts/ is build tooling that no
// operator command imports, and that imports no operator command.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Every TypeScript file under a folder, with the relative modules it imports. */
function importsUnder(folder: string): Array<{ file: string; imports: string[] }> {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && /\.m?ts$/.test(entry.name))
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      const text = readFileSync(file, 'utf8');
      return { file, imports: [...text.matchAll(/(?:from|import\()\s*'(\.[^']+)'/g)].map((match) => join(entry.parentPath, match[1]!)) };
    });
}

const crossing = (from: string, to: readonly string[]) =>
  importsUnder(from).flatMap(({ file, imports }) => imports.filter((target) => to.some((folder) => target.startsWith(`${folder}/`))).map((target) => `${file} → ${target}`));

describe('the layout', () => {
  it('keeps operator commands in ops/: nothing there imports scripts/, and scripts/ imports no ops/ module', () => {
    expect(crossing('ops', ['scripts'])).toEqual([]);
    expect(crossing('scripts', ['ops'])).toEqual([]);
    for (const command of ['smoke', 'drill', 'set-image']) expect(readdirSync('ops')).toContain(`${command}.ts`);
  });

  it('keeps app/ free of stacks/ and ops/', () => {
    expect(crossing('app', ['stacks', 'ops'])).toEqual([]);
  });

  it('runs every operator command of package.json from ops/', () => {
    const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
    for (const name of ['smoke', 'drill', 'set-image', 'status', 'deploy', 'bootstrap', 'destroy', 'gameday', 'token', 'validate', 'audit', 'contract']) {
      expect(scripts[name], name).toMatch(/^tsx ops\//);
    }
  });
});
