import { App } from 'cdktf';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildBundles } from './scripts/build.js';
import { ConfigError, parseEnvironments } from './stacks/config.js';
import { addEnvironmentStacks } from './stacks/environment-stacks.js';

/** The environments file; `MCP_ENVIRONMENTS_FILE` points elsewhere (CI writes image digests into a copy). */
const configPath = process.env.MCP_ENVIRONMENTS_FILE ?? fileURLToPath(new URL('./stacks/environments.json', import.meta.url));

let environments;
try {
  environments = parseEnvironments(JSON.parse(readFileSync(configPath, 'utf8')));
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof SyntaxError)) throw error;
  console.error(`${configPath}: ${error.message}`);
  process.exit(1);
}

// The Lambda bundle is rebuilt on every synth, so a stale bundle can never be deployed.
await buildBundles();
const lambdaBundleDir = fileURLToPath(new URL('./dist/lambda', import.meta.url));

const app = new App();
for (const env of environments) addEnvironmentStacks(app, env, { lambdaBundleDir });
app.synth();
