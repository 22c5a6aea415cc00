import type { EnvironmentConfig } from '../../stacks/config.js';
import { stackId } from '../../stacks/naming.js';
import { DestroyRefused } from './context.js';
import type { StateResource } from '../terraform/stack-state.js';

/**
 * The Cloud Run services whose state still protects them: the google provider (6.50,
 * google_cloud_run_v2_service `deletion_protection`) refuses to delete a service "if this field is
 * not set to false in Terraform state" (unset means true), so a destroy would stop half-way.
 */
export function protectedServices(gcpResources: readonly StateResource[]): string[] {
  return gcpResources.filter((resource) => resource.type === 'google_cloud_run_v2_service' && resource.attributes.deletion_protection !== false).map((resource) => resource.address);
}

/**
 * The refusal of an environment whose Cloud Run services are protected from deletion, with the
 * steps that lift the protection, from the first one still to do: the config change (in a reviewed
 * pull request), a deploy of the gcp stack (so the state says false), then the teardown.
 *
 * @param inState - the services Terraform's state still protects, when the config already turned it off
 */
export function protectionRefusal(env: EnvironmentConfig, environmentsFile: string, inState?: readonly string[]): DestroyRefused {
  const gcp = stackId(env.name, 'gcp');
  const steps = [
    `set "deletionProtection": false for ${env.name} in ${environmentsFile}, in a pull request, and merge it once reviewed`,
    `deploy the gcp stack, so that Terraform's state has deletion_protection = false on the Cloud Run services (the google provider refuses to destroy a service while its state says true): npm run deploy -- ${env.name}, or npx cdktf deploy ${gcp}`,
    `run npm run destroy -- ${env.name} again`,
  ];
  const [why, todo] =
    inState === undefined
      ? [`${env.name} (${env.tier} tier) has deletion protection on: its Cloud Run services may not be destroyed.`, steps]
      : [`${env.name}'s config turns deletion protection off, but the state of ${gcp} still protects ${inState.join(', ')}.`, steps.slice(1)];
  const first = steps.length - todo.length + 1;
  return new DestroyRefused(`${why} To tear it down:\n${todo.map((step, index) => `  ${first + index}. ${step}`).join('\n')}`);
}
