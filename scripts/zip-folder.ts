import { zipSync, type Zippable } from 'fflate';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Every file's timestamp in the archive: fixed, so the same files always make the same bytes. */
const FIXED_MTIME = new Date('2020-01-01T00:00:00Z');

/**
 * Zips a folder in-process, deterministically: files in sorted order with a fixed
 * timestamp, so the archive's hash (the Lambda's `source_code_hash`) changes only when
 * the content does. cdktf's own archive step spawns a process per stack, which was
 * most of synth's time.
 *
 * @param include - which files (by path inside the folder, `/`-separated) go in; default: all
 */
export function zipFolder(folder: string, zipPath: string, include: (path: string) => boolean = () => true): void {
  const files: Zippable = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const name = relative(folder, path).split(sep).join('/');
        if (include(name)) files[name] = [readFileSync(path), { mtime: FIXED_MTIME }];
      }
    }
  };
  walk(folder);
  writeFileSync(zipPath, zipSync(files, { level: 6 }));
}
