// Prints the GitHub Actions matrices the workflows run over, from the environments file, so that
// adding an environment to the config is all it takes for CI to plan and deploy it:
//   environments=["staging","production"]           deploy order: the file's order
//   stacks=[{"stack":"staging-bootstrap-gcp","environment":"staging"}, …]
// The workflows append this to $GITHUB_OUTPUT.
import { fileURLToPath } from 'node:url';
import { stackId, type StackKind } from '../stacks/naming.js';
import { environmentsFilePath } from './environment-file.js';
import { readFileSync } from 'node:fs';
import { parseEnvironments } from '../stacks/config.js';

/** The stacks of an environment, in the order they deploy. */
export const STACK_KINDS: readonly StackKind[] = ['bootstrap-gcp', 'bootstrap-aws', 'gcp', 'aws', 'edge'];

/** The `key=json` lines of the matrices, for `$GITHUB_OUTPUT`. */
export function matrixOutputs(fileText: string): string[] {
  const environments = parseEnvironments(JSON.parse(fileText)).map((env) => env.name);
  const stacks = environments.flatMap((environment) => STACK_KINDS.map((kind) => ({ stack: stackId(environment, kind), environment })));
  return [`environments=${JSON.stringify(environments)}`, `stacks=${JSON.stringify(stacks)}`];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    for (const line of matrixOutputs(readFileSync(environmentsFilePath(), 'utf8'))) console.log(line);
  } catch (error) {
    console.error(`environments-matrix: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
