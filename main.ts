import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
// Imported first and alone: the Lambda bundle starts building before anything else loads.
import { buildLambdaBundle, LAMBDA_ZIP } from './scripts/build.js';

// The Lambda bundle is rebuilt on every synth, so a stale bundle can never be deployed. esbuild
// runs in its own process, so it builds while this one loads cdktf and the providers and builds the stacks.
const bundled = buildLambdaBundle();

const { ConfigError, parseEnvironments } = await import('./stacks/config.js');

/**
 * The environments file, relative to the working directory (the project root, where cdktf runs
 * this and writes `cdktf.out`); `MCP_ENVIRONMENTS_FILE` points elsewhere (CI writes image digests into a copy).
 */
const configPath = resolve(process.env.MCP_ENVIRONMENTS_FILE ?? 'stacks/environments.json');

let environments;
try {
  environments = parseEnvironments(JSON.parse(readFileSync(configPath, 'utf8')));
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof SyntaxError)) throw error;
  console.error(`${configPath}: ${error.message}`);
  process.exit(1);
}

// Loaded while the bundle builds: loading cdktf and the provider bindings is most of synth's time.
const [{ App }, { addEnvironmentStacks }, { synthesizeApp, SynthValidationError }] = await Promise.all([
  import('cdktf'),
  import('./stacks/environment-stacks.js'),
  import('./stacks/synthesize-app.js'),
]);
// The stacks' asset is the zipped bundle: it must be complete before they are built.
await bundled;
// Validated by synthesizeApp, which lists every stack's problems at once (cdktf stops at the first stack).
const app = new App({ skipValidation: true });
// `npm run bootstrap` sets this for the bootstrap stacks' first apply, before their buckets exist.
const bootstrapLocalState = process.env.MCP_BOOTSTRAP_LOCAL_STATE === '1';
for (const env of environments) addEnvironmentStacks(app, env, { lambdaBundleZip: LAMBDA_ZIP, bootstrapLocalState });
try {
  synthesizeApp(app);
} catch (error) {
  if (!(error instanceof SynthValidationError)) throw error;
  console.error(`${configPath}: ${error.message}`);
  process.exit(1);
}
