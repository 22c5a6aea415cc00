import { existsSync, rmSync } from 'node:fs';
import { resourceName } from '../../stacks/naming.js';
import type { Step } from '../runner/step-runner.js';
import { deployJournal, logGroupNames } from './inventory.js';
import { destroyStackStep } from './stack-step.js';
import { servingStacks } from '../terraform/stack-state.js';
import type { Teardown } from './teardown.js';

/**
 * The serving part of a teardown, in order: forget the last deploy, destroy the edge, every AWS
 * region's stack and gcp, then what Terraform does not remove: the images deploy pushed, and any
 * log group left behind. (Cloud Run deletes a service's revisions with it; SNS deletes a topic's
 * subscriptions with it; Terraform owns both.)
 */
export function servingSteps(teardown: Teardown): Step[] {
  const { env, gcloud, images } = teardown;
  const journal = deployJournal(teardown);
  const names = logGroupNames(teardown);
  /** The log groups still there, by region. */
  const leftLogGroups = async () =>
    (await Promise.all(env.aws.regions.map(async (region) => ({ region, names: (await teardown.aws(region).logGroups(resourceName(env.name))).filter((name) => names.includes(name)) })))).filter(
      (found) => found.names.length > 0,
    );

  return [
    {
      name: 'forget the last deploy',
      runs: `delete ${journal}, so that the next npm run deploy applies every stack again`,
      isDone: async () => !existsSync(teardown.states.path(journal)) && `no ${journal}`,
      run: async () => {
        rmSync(teardown.states.path(journal));
        return `deleted ${journal}`;
      },
      onFailure: `delete ${journal} by hand, then ${teardown.rerun}`,
    },
    ...servingStacks(env).map((stack) => destroyStackStep(teardown, stack, { cdktf: teardown.cdktf })),
    {
      name: 'delete the images',
      runs: `gcloud artifacts packages delete ${images.name} --repository ${images.repository} --location ${images.location}: every image npm run deploy pushed to ${images.image}`,
      isDone: async () => (await gcloud.imageDigests(images.image)).length === 0 && `no image in ${images.image}`,
      run: async () => {
        const digests = await gcloud.imageDigests(images.image);
        await gcloud.deletePackage(images.repository, images.location, images.name);
        return `deleted ${digests.length} image(s)`;
      },
      onFailure: `check that you may delete in the repository (roles/artifactregistry.repoAdmin), then ${teardown.rerun}`,
    },
    {
      name: 'delete leftover log groups',
      runs: `aws logs delete-log-group for ${names.join(' and ')} in ${env.aws.regions.join(', ')}, where Terraform left one`,
      isDone: async () => (await leftLogGroups()).length === 0 && 'none left',
      run: async () => {
        const left = await leftLogGroups();
        for (const { region, names: found } of left) for (const name of found) await teardown.aws(region).deleteLogGroup(name);
        return `deleted ${left.map(({ region, names: found }) => `${found.join(', ')} in ${region}`).join('; ')}`;
      },
      onFailure: `check that you may delete log groups (logs:DeleteLogGroup), then ${teardown.rerun}`,
    },
  ];
}
