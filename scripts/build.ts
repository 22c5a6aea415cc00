// Bundles the bridge's two entries with esbuild: ESM, minified, Node 22, source maps.
//   dist/node.mjs           the Node entry (Cloud Run, `npm start`): one file
//   dist/lambda/index.mjs   the Lambda entry (zipped to dist/lambda.zip, the AWS stack's TerraformAsset), with
//                           what it loads on demand (the SDK, ajv, jose) in dist/lambda/chunks/,
//                           so a cold start reads only what the first request needs
// Only what the entries import is bundled: no dev dependencies, no node_modules at run time.
import { build, type BuildOptions } from 'esbuild';
import { rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { toolsListResult } from '../app/mcp/fast-path.js';
import { tools } from '../app/tools/registry.js';
import { zipFolder } from './zip-folder.js';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Lets bundled CommonJS dependencies `require` Node built-ins from an ES module. */
const requireShim = "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);";

const shared: BuildOptions = {
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  banner: { js: requireShim },
  logLevel: 'warning',
};

/** How a Lambda bundle is built into a folder (also the benchmark's SDK baseline, the same way). */
export const LAMBDA_BUILD_OPTIONS: BuildOptions = {
  ...shared,
  // The Lambda Node.js runtime ships the AWS SDK v3: use it rather than bundle it.
  external: ['@aws-sdk/*'],
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  outExtension: { '.js': '.mjs' },
};

/** Where the zipped Lambda bundle is written: what the AWS stack deploys. */
export const LAMBDA_ZIP = fileURLToPath(new URL('../dist/lambda.zip', import.meta.url));

/**
 * Builds this project's Lambda entry into `outdir` (its `index.mjs` exports `handler`).
 * The bundle is compiled against app/lambda-fetch-api.ts's Headers, Request and Response
 * instead of Node's, so a cold start does not wait for Node to load its fetch implementation,
 * and carries the `tools/list` result rendered, so a cold start does not render it.
 */
export async function buildLambdaEntry(outdir: string): Promise<void> {
  // Nothing is awaited before esbuild has the job, so it builds in its own process even while
  // the caller's thread is busy (synth loads the providers meanwhile, without yielding).
  rmSync(outdir, { recursive: true, force: true });
  await build({
    ...LAMBDA_BUILD_OPTIONS,
    inject: ['app/lambda-fetch-api.ts'],
    // Rendered here rather than on every cold start (app/lambda.ts reads it).
    define: { MCP_TOOLS_LIST_JSON: JSON.stringify(JSON.stringify(toolsListResult(tools))) },
    entryPoints: [{ in: 'app/lambda.ts', out: 'index' }],
    outdir,
  });
}

/**
 * Builds the Lambda bundle into `dist/lambda/` and zips it to `dist/lambda.zip`,
 * replacing what was there (synth needs only this one). The source maps stay out of the
 * zip: Lambda runs without `--enable-source-maps`, which would cost every cold start
 * 10 to 25 ms; they stay in `dist/lambda/` to decode a logged stack trace.
 */
export async function buildLambdaBundle(): Promise<void> {
  const outdir = fileURLToPath(new URL('../dist/lambda', import.meta.url));
  await buildLambdaEntry(outdir);
  zipFolder(outdir, LAMBDA_ZIP, (path) => !path.endsWith('.map'));
}

/** Builds both bundles into `dist/`, replacing what was there. */
export async function buildBundles(): Promise<void> {
  await rm(new URL('../dist/node.mjs', import.meta.url), { force: true });
  await Promise.all([buildNodeEntry('dist/node.mjs'), buildLambdaBundle()]);
}

/** Builds the Node entry (Cloud Run, `npm start`) into one file, `outfile` (relative paths are the project root's). */
export async function buildNodeEntry(outfile: string): Promise<void> {
  await build({ ...shared, entryPoints: ['app/node.ts'], outfile });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildBundles();
