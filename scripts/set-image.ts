// Pins an environment to an image digest in the environments file, validating the result:
//   npm run set-image -- staging europe-west1-docker.pkg.dev/<project>/<repo>/bridge@sha256:<digest>
// The deploy workflow runs it after Cloud Build pushes the commit's image, then commits the file,
// so the repository always records what each environment runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withField } from '../ops/environment-file.js';
import type { EnvironmentName } from '../stacks/config.js';

/** Returns the environments file's text with `image` of one environment replaced; throws if the result is invalid. */
export function withImage(fileText: string, env: EnvironmentName, image: string): string {
  return withField(fileText, env, 'image', image);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [env, image] = process.argv.slice(2);
  const file = process.env.MCP_ENVIRONMENTS_FILE ?? fileURLToPath(new URL('../stacks/environments.json', import.meta.url));
  if (env === undefined || image === undefined) {
    console.error('set-image: usage: set-image <environment> <image@sha256:digest>');
    process.exit(2);
  }
  try {
    writeFileSync(file, withImage(readFileSync(file, 'utf8'), env, image));
    console.log(`set-image: ${env} now runs ${image}`);
  } catch (error) {
    console.error(`set-image: ${(error as Error).message}`);
    process.exit(1);
  }
}
