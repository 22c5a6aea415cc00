import type { Cdktf } from '../clouds/cdktf.js';
import type { Step } from '../runner/step-runner.js';
import { describeLocation } from '../../stacks/remote-state.js';
import type { StateResource, TeardownStack } from '../terraform/stack-state.js';
import type { Teardown } from './teardown.js';

/** How one stack is destroyed. */
export interface StackStepOptions {
  /** The cdktf that destroys it (the bootstrap stacks' has their state on this disk). */
  readonly cdktf: Cdktf;
  /**
   * What `runs` adds to the cdktf command line, in words.
   * @default - nothing
   */
  readonly note?: string;
  /**
   * Runs before the destroy, given what the state lists.
   * @default - nothing
   */
  readonly prepare?: (resources: readonly StateResource[]) => Promise<void>;
}

/**
 * `cdktf destroy` of one stack; done when its state lists no resources (never applied, destroyed
 * by an earlier run, or its bucket gone), and checked again after the destroy.
 */
export function destroyStackStep(teardown: Teardown, stack: TeardownStack, options: StackStepOptions): Step {
  const { states } = teardown;
  return {
    name: `destroy ${stack.id}`,
    runs: `cdktf destroy ${stack.id} --auto-approve --ignore-missing-stack-dependencies${options.note === undefined ? '' : ` (${options.note})`}`,
    isDone: async () => (await states.resources(stack)).length === 0 && `nothing deployed: its state (${describeLocation(states.location(stack))}) lists no resources`,
    run: async () => {
      const resources = await states.resources(stack);
      await options.prepare?.(resources);
      await options.cdktf.destroy([stack.id]);
      const left = await states.resources(stack);
      if (left.length > 0) throw new Error(`cdktf destroy ${stack.id} finished, but its state still lists ${left.length} resource(s): ${left.map((resource) => resource.address).join(', ')}`);
      return `destroyed ${resources.length} resource(s)`;
    },
    onFailure: `read Terraform's error above, fix what it names, then ${teardown.rerun}`,
  };
}
