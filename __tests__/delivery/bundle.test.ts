import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { withImage } from '../../scripts/set-image.js';

describe('the Lambda bundle', () => {
  it('holds no dev dependency', async () => {
    const result = await build({
      entryPoints: ['app/lambda.ts'],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { devDependencies: Record<string, string> };
    const packages = new Set(
      Object.keys(result.metafile.inputs)
        .map((input) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1])
        .filter((name): name is string => name !== undefined),
    );
    expect(packages).toContain('hono');
    for (const dev of Object.keys(pkg.devDependencies)) expect(packages, dev).not.toContain(dev);
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
