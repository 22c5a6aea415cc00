// Prints the GitHub Actions matrices the workflows run over, from the environments file, so that
// adding an environment to the config is all it takes for CI to plan and deploy it:
//   environments=["staging","production"]           deploy order: the file's order
//   stacks=[{"stack":"staging-bootstrap-gcp","environment":"staging","variablePrefix":"STAGING"}, …]
// The workflows append this to $GITHUB_OUTPUT.
import { fileURLToPath } from 'node:url';
import { awsStackKind, stackId, type AwsStackKind, type StackKind } from '../stacks/naming.js';
import { environmentsFilePath } from './environment-file.js';
import { readFileSync } from 'node:fs';
import { parseEnvironments, type EnvironmentConfig } from '../stacks/config.js';

/** The stacks of an environment, in the order they deploy (every further AWS region's after `aws`). */
export function environmentStacks(env: EnvironmentConfig): string[] {
  const kinds: Array<StackKind | AwsStackKind> = ['bootstrap-gcp', 'bootstrap-aws', 'gcp', ...env.aws.regions.map((region) => awsStackKind(env, region)), 'edge'];
  return kinds.map((kind) => stackId(env.name, kind));
}

/**
 * The prefix of an environment's plan variables at the repository level (`staging` → `STAGING`,
 * `eu-prod` → `EU_PROD`): the pull-request plans name no GitHub environment, so that their OIDC
 * subject is the pull request's.
 */
export function planVariablePrefix(environment: string): string {
  return environment.toUpperCase().replace(/-/g, '_');
}

/** The `key=json` lines of the matrices, for `$GITHUB_OUTPUT`. */
export function matrixOutputs(fileText: string): string[] {
  const environments = parseEnvironments(JSON.parse(fileText));
  const stacks = environments.flatMap((env) => environmentStacks(env).map((stack) => ({ stack, environment: env.name, variablePrefix: planVariablePrefix(env.name) })));
  return [`environments=${JSON.stringify(environments.map((env) => env.name))}`, `stacks=${JSON.stringify(stacks)}`];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    for (const line of matrixOutputs(readFileSync(environmentsFilePath(), 'utf8'))) console.log(line);
  } catch (error) {
    console.error(`environments-matrix: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
