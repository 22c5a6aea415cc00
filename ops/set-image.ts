// `npm run set-image -- <env> <image@sha256:digest>`: pins an environment to an image digest in the
// environments file, validating the result. The deploy workflow runs it after Cloud Build pushes
// the commit's image, then commits the file, so the repository records what each environment runs.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { EnvironmentName } from '../stacks/config.js';
import { environmentsFilePath, withField } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { oneEnvironment, parseCommandLine } from './runner/command-line.js';
import { runSteps } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

/** Returns the environments file's text with `image` of one environment replaced; throws if the result is invalid. */
export function withImage(fileText: string, env: EnvironmentName, image: string): string {
  return withField(fileText, env, 'image', image);
}

export const USAGE = `usage: npm run set-image -- <environment> <image@sha256:digest>

Writes the image an environment runs into the environments file (MCP_ENVIRONMENTS_FILE, or
stacks/environments.json), after checking that the file is still valid with it.

  --help   this text`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseSetImageArgs(args: readonly string[]): { environment: string; image: string; help: boolean } {
  const { values, positionals } = parseCommandLine({ args: [...args], options: { help: { type: 'boolean', default: false } }, allowPositionals: true });
  if (values.help) return { environment: '', image: '', help: true };
  if (positionals.length !== 2) throw new UsageError(`give the environment and the image (got ${positionals.length} argument${positionals.length === 1 ? '' : 's'})`);
  return { environment: oneEnvironment(positionals.slice(0, 1), 'pin'), image: positionals[1]!, help: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('set-image', USAGE, () => parseSetImageArgs(process.argv.slice(2)), async ({ environment, image }) => {
    const file = environmentsFilePath();
    await runSteps([
      {
        name: 'pin the image',
        runs: `set ${environment}.image in ${file} to ${image}`,
        run: async () => {
          writeFileSync(file, withImage(readFileSync(file, 'utf8'), environment, image));
          return `${environment} now runs ${image}`;
        },
        onFailure: 'the line above names the field the file refuses; pass an Artifact Registry image by digest (REGION-docker.pkg.dev/PROJECT/REPO/IMAGE@sha256:…)',
      },
    ]);
  });
}
