// The cdktf app (cdktf.json runs `node scripts/synth.mjs`): main.ts, bundled by esbuild into
// dist/synth.mjs and run by plain Node. Only this repository's code is bundled; the providers,
// cdktf and the rest stay in node_modules and load through Node's own loader. Running main.ts
// through a TypeScript loader instead (tsx) puts its hooks on every one of the thousands of
// modules the provider bindings require, which was a third of synth's time.
//
// The entry lands in dist/, one folder below the root like scripts/, so paths that
// scripts/build.ts resolves from its own location still hold; the stacks load from a chunk,
// so the providers load while esbuild builds the Lambda bundle (see main.ts).
import { build } from 'esbuild';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Chunk names carry content hashes: start empty so old ones do not pile up.
await rm(new URL('../dist/synth-chunks', import.meta.url), { recursive: true, force: true });
await build({
  absWorkingDir: fileURLToPath(new URL('..', import.meta.url)),
  entryPoints: [{ in: 'main.ts', out: 'synth' }],
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  splitting: true,
  outdir: 'dist',
  chunkNames: 'synth-chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
await import(new URL('../dist/synth.mjs', import.meta.url).href);
