import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { zipFolder } from '../../scripts/zip-folder.js';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Testing, type TerraformStack } from 'cdktf';
import { parseEnvironments, type EnvironmentConfig, type EnvironmentName } from '../../stacks/config.js';
import { addEnvironmentStacks, type EnvironmentStacks } from '../../stacks/environment-stacks.js';
import { synthesizeApp } from '../../stacks/synthesize-app.js';

/** The example config shipped in the repo, as raw JSON. */
export function exampleConfig(): Record<string, any> {
  return JSON.parse(readFileSync(fileURLToPath(new URL('../../stacks/environments.json', import.meta.url)), 'utf8'));
}

/** The names of the example config's environments, in file order. */
export const EXAMPLE_ENVIRONMENT_NAMES: readonly string[] = Object.keys(exampleConfig());

/** The example config, validated. */
export function exampleEnvironments(): EnvironmentConfig[] {
  return parseEnvironments(exampleConfig());
}

/** A stand-in Lambda bundle, zipped deterministically once per test run (stable snapshots). */
export const FIXTURE_BUNDLE = join(mkdtempSync(join(tmpdir(), 'lambda-fixture-')), 'lambda.zip');
zipFolder(fileURLToPath(new URL('../fixtures/lambda-bundle', import.meta.url)), FIXTURE_BUNDLE);

/** Synthesized Terraform JSON of one stack. */
export type Synthesized = {
  terraform: Record<string, any>;
  provider: Record<string, any[]>;
  resource: Record<string, Record<string, any>>;
  data?: Record<string, Record<string, any>>;
  output?: Record<string, any>;
};

/** The synthesized Terraform JSON of an environment's stacks, and the stacks themselves. */
export type SynthesizedEnvironment = Record<Exclude<keyof EnvironmentStacks, 'awsRegions'>, Synthesized> & {
  /** Every AWS region's stack, the home region's first. */
  awsRegions: Synthesized[];
  stacks: EnvironmentStacks;
};

/**
 * Builds an environment's stacks (example config unless given) in a test app
 * and synthesizes the whole app, as `cdktf synth` does, so that cross-stack
 * references resolve to remote-state reads and outputs.
 */
export function synthEnvironment(name: EnvironmentName, env?: EnvironmentConfig): SynthesizedEnvironment {
  const config = env ?? exampleEnvironments().find((candidate) => candidate.name === name)!;
  // As Testing.app() builds it (stubbed version, future flags), but validated the way main.ts validates.
  const app = Testing.enableFutureFlags(Testing.stubVersion(new App({ outdir: mkdtempSync(join(tmpdir(), 'cdktf.outdir.')), stackTraces: false, skipValidation: true })));
  const stacks = addEnvironmentStacks(app, config, { lambdaBundleZip: FIXTURE_BUNDLE });
  const read = (stack: TerraformStack) =>
    JSON.parse(readFileSync(join(app.outdir, 'stacks', stack.node.id, 'cdk.tf.json'), 'utf8')) as Synthesized;
  try {
    synthesizeApp(app);
    return {
      bootstrapGcp: read(stacks.bootstrapGcp),
      bootstrapAws: read(stacks.bootstrapAws),
      gcp: read(stacks.gcp),
      aws: read(stacks.aws),
      awsRegions: stacks.awsRegions.map(read),
      edge: read(stacks.edge),
      stacks,
    };
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** Every resource of a type, without cdktf's metadata. */
export function resources(synthesized: Synthesized, type: string): any[] {
  return Object.values(synthesized.resource[type] ?? {}).map(({ '//': _metadata, ...rest }) => rest);
}

/** The one resource of a type; fails when there is not exactly one. */
export function only(synthesized: Synthesized, type: string): any {
  const found = resources(synthesized, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** The example config files shipped in the repo, relative to the project root. */
export const EXAMPLE_CONFIG_FILES = ['stacks/environments.json', 'stacks/examples/global.json', 'stacks/examples/one-account.json', 'stacks/examples/own-servers.json'] as const;

/** Every environment of every example config file, synthesized (for rules that must hold everywhere). */
export function synthEveryExample(): Array<{ file: string; env: EnvironmentConfig; synthesized: SynthesizedEnvironment }> {
  return EXAMPLE_CONFIG_FILES.flatMap((file) =>
    parseEnvironments(JSON.parse(readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8'))).map((env) => ({
      file,
      env,
      synthesized: synthEnvironment(env.name, env),
    })),
  );
}

/** The stacks of a synthesized environment, by id. */
export function stacksOf(environment: SynthesizedEnvironment): Array<[id: string, stack: Synthesized]> {
  const { stacks } = environment;
  return [
    [stacks.bootstrapGcp.node.id, environment.bootstrapGcp],
    [stacks.bootstrapAws.node.id, environment.bootstrapAws],
    [stacks.gcp.node.id, environment.gcp],
    ...stacks.awsRegions.map((stack, index): [string, Synthesized] => [stack.node.id, environment.awsRegions[index]!]),
    [stacks.edge.node.id, environment.edge],
  ];
}
