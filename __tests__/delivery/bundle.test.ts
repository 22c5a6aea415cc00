import { build } from 'esbuild';
import { unzipSync } from 'fflate';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildLambdaBundle, buildLambdaEntry, LAMBDA_ZIP } from '../../scripts/build.js';
import { withImage } from '../../ops/set-image.js';

/** The Lambda entry bundled in memory, with its metafile (`split`: into chunks, as the build does). */
const bundleInMemory = (split: boolean) =>
  build({
    entryPoints: ['app/lambda.ts'],
    bundle: true,
    ...(split ? { splitting: true, outdir: 'unused' } : {}),
    platform: 'node',
    format: 'esm',
    target: 'node22',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });

describe('the Lambda bundle', () => {
  it('holds no dev dependency', async () => {
    const result = await bundleInMemory(false);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect(packages).toContain('hono');
    for (const dev of Object.keys(pkg.devDependencies)) expect(packages, dev).not.toContain(dev);
  });

  it('keeps the MCP SDK, ajv and jose off the cold path: only what a lazy import() loads holds them', async () => {
    const result = await bundleInMemory(true);
    const outputs = result.metafile.outputs;
    const entry = Object.keys(outputs).find((file) => outputs[file]!.entryPoint === 'app/lambda.ts')!;
    // The entry and what it imports statically, transitively: what a cold start reads.
    const cold = new Set<string>();
    const visit = (file: string) => {
      if (cold.has(file)) return;
      cold.add(file);
      for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement' && outputs[imported.path] !== undefined) visit(imported.path);
    };
    visit(entry);
    const inputs = [...cold].flatMap((file) => Object.keys(outputs[file]!.inputs));
    for (const heavy of ['@modelcontextprotocol/server', 'ajv', 'jose']) expect(inputs.filter((input) => input.includes(`node_modules/${heavy}/`)), heavy).toEqual([]);
    // And the access rules and the audit are on it (they serve the first request).
    expect(inputs).toEqual(expect.arrayContaining(['app/auth/access-rules.ts', 'app/audit/tool-call-audit.ts']));
  });

  it('is built by esbuild while the calling thread is busy (synth loads the providers meanwhile)', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'lambda-entry-'));
    const entry = join(outdir, 'index.mjs');
    const built = buildLambdaEntry(outdir);
    try {
      // This thread blocks, never yielding to the event loop, as synth's does loading the providers:
      // the entry appears only if esbuild got the job before buildLambdaEntry first awaited.
      const pause = new Int32Array(new SharedArrayBuffer(4));
      for (const deadline = Date.now() + 30_000; !existsSync(entry) && Date.now() < deadline; ) Atomics.wait(pause, 0, 0, 20);
      expect(existsSync(entry)).toBe(true);
    } finally {
      // Also when it fails: the build finishes, then its folder goes.
      await built;
      rmSync(outdir, { recursive: true, force: true });
    }
  }, 60_000);

  it('is zipped with its entry and chunks and without source maps (Lambda runs without them)', async () => {
    await buildLambdaBundle();
    const names = Object.keys(unzipSync(readFileSync(LAMBDA_ZIP)));
    expect(names).toContain('index.mjs');
    expect(names.filter((name) => name.startsWith('chunks/')).length).toBeGreaterThan(0);
    expect(names.every((name) => name.endsWith('.mjs'))).toBe(true);
  });
});

// In this file, not its own: it rebuilds dist/lambda as the zip test above does, one after the other.
describe('the cdktf app (scripts/synth.mjs, what cdktf.json runs)', () => {
  const synth = (env: Record<string, string>) =>
    promisify(execFile)(process.execPath, ['scripts/synth.mjs'], { env: { ...process.env, ...env } });

  it('synthesizes every stack of the example config', async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'synth-'));
    await synth({ CDKTF_OUTDIR: outdir });
    expect(readdirSync(join(outdir, 'stacks')).sort()).toEqual([
      'production-aws', 'production-bootstrap-aws', 'production-bootstrap-gcp', 'production-edge', 'production-gcp',
      'staging-aws', 'staging-bootstrap-aws', 'staging-bootstrap-gcp', 'staging-edge', 'staging-gcp',
    ]);
    const aws = JSON.parse(readFileSync(join(outdir, 'stacks/staging-aws/cdk.tf.json'), 'utf8'));
    expect(Object.keys(aws.resource.aws_lambda_function)).toHaveLength(1);
    rmSync(outdir, { recursive: true, force: true });
  });

  it('refuses a config whose derived names break a provider limit: exit 1, every stack\'s problems at once', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'synth-'));
    const config = JSON.parse(readFileSync('stacks/environments.json', 'utf8'));
    // 66 characters: fine for Route 53 and Certificate Manager, too long for an ACM certificate's common name.
    config.staging.domainName = `${'a'.repeat(42)}.mcp.staging.example.com`;
    const file = join(folder, 'environments.json');
    writeFileSync(file, JSON.stringify(config));
    const failure = await synth({ MCP_ENVIRONMENTS_FILE: file, CDKTF_OUTDIR: join(folder, 'out') }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining(`${file}: Validation failed with the following errors:`) });
    expect((failure as { stderr: string }).stderr).toMatch(/\[staging-aws\/http-api\/certificate\] staging: domainName: aws_acm_certificate\.domain_name "a{42}\.mcp\.staging\.example\.com" \(66 characters\)/);
    rmSync(folder, { recursive: true, force: true });
  });

  it('refuses a broken environments file: exit 1, naming the file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'synth-')), 'environments.json');
    writeFileSync(file, JSON.stringify({ staging: { name: 1 } }));
    const failure = await synth({ MCP_ENVIRONMENTS_FILE: file, CDKTF_OUTDIR: join(tmpdir(), 'unused') }).catch((error: { code: number; stderr: string }) => error);
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringContaining(`${file}: Invalid environments config`) });
  });
});

describe('set-image', () => {
  const file = readFileSync('stacks/environments.json', 'utf8');
  const digest = `europe-west1-docker.pkg.dev/example-mcp-staging/mcp-bridge-staging/bridge@sha256:${'b'.repeat(64)}`;

  it('pins one environment to a digest and leaves the other alone', () => {
    const updated = JSON.parse(withImage(file, 'staging', digest));
    expect(updated.staging.image).toBe(digest);
    expect(updated.production.image).toBe(JSON.parse(file).production.image);
  });

  it('refuses an image that is not pinned by digest', () => {
    expect(() => withImage(file, 'staging', 'europe-west1-docker.pkg.dev/p/r/bridge:latest')).toThrow(/staging: image:/);
  });
});
