import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentConfig } from '../../stacks/config.js';
import { awsStackKind, stackId, type AwsStackKind, type StackKind } from '../../stacks/naming.js';
import { stateLocation, type StateLocation } from '../../stacks/remote-state.js';
import { Aws } from '../clouds/aws.js';
import type { CommandRunner } from '../clouds/command.js';
import { Gcloud } from '../clouds/gcloud.js';

/** A stack of the environment, as a teardown handles it. */
export interface TeardownStack {
  /** Its id: `staging-edge`. */
  readonly id: string;
  /** What it holds (`edge`, `aws`, `aws-<region>`, `gcp`, `bootstrap-aws`, `bootstrap-gcp`): where its state lives follows from it. */
  readonly kind: StackKind | AwsStackKind;
}

/** The serving stacks in the order they are destroyed: the edge (it reads the others), every AWS region's (the home region's last), gcp. */
export function servingStacks(env: EnvironmentConfig): TeardownStack[] {
  const aws = [...env.aws.regions].reverse().map((region) => awsStackKind(env, region));
  return (['edge', ...aws, 'gcp'] as const).map((kind) => ({ id: stackId(env.name, kind), kind }));
}

/** The bootstrap stacks in the order they are destroyed (the reverse of `npm run bootstrap`'s). */
export function bootstrapStacks(env: EnvironmentConfig): TeardownStack[] {
  return (['bootstrap-aws', 'bootstrap-gcp'] as const).map((kind) => ({ id: stackId(env.name, kind), kind }));
}

/** One managed resource instance of a Terraform state. */
export interface StateResource {
  /** Its address, as `terraform state list` prints it: `type.name`, `type.name[0]`, `type.name["key"]`. */
  readonly address: string;
  /** Its resource type: `aws_s3_bucket`. */
  readonly type: string;
  /** Its attributes as the state holds them. */
  readonly attributes: Readonly<Record<string, unknown>>;
}

/**
 * The managed resource instances a Terraform state (JSON, format version 4) lists; data sources
 * are not destroyed, so not listed. No state (or an empty file) lists none.
 */
export function managedResources(stateText: string | undefined): StateResource[] {
  if (stateText === undefined || stateText.trim() === '') return [];
  type Instance = { index_key?: string | number; attributes?: Record<string, unknown> };
  const state = JSON.parse(stateText) as { resources?: Array<{ module?: string; mode: string; type: string; name: string; instances?: Instance[] }> };
  return (state.resources ?? [])
    .filter((resource) => resource.mode === 'managed')
    .flatMap((resource) =>
      (resource.instances ?? []).map((instance) => {
        const key = instance.index_key === undefined ? '' : typeof instance.index_key === 'number' ? `[${instance.index_key}]` : `[${JSON.stringify(instance.index_key)}]`;
        return { address: `${resource.module === undefined ? '' : `${resource.module}.`}${resource.type}.${resource.name}${key}`, type: resource.type, attributes: instance.attributes ?? {} };
      }),
    );
}

/**
 * Reads the environment's stack states where Terraform keeps them: the objects their backends name
 * (read with gcloud and aws, so no `terraform init` is needed, and a bucket already deleted reads as
 * "no state"), or the local files. A bootstrap stack's state is on this disk once its local state
 * file exists (its first apply, before the move into its bucket, or moved back by a teardown).
 */
export class StackStates {
  readonly #gcloud: Gcloud;
  readonly #runner: CommandRunner;

  constructor(
    private readonly env: EnvironmentConfig,
    runner: CommandRunner,
    /** The project root, which the local state files are relative to. */
    readonly projectRoot: string,
  ) {
    this.#runner = runner;
    this.#gcloud = new Gcloud(runner, env.gcp.project);
  }

  /** Where a stack's state is now. */
  location(stack: TeardownStack): StateLocation {
    const onDisk = stateLocation(this.env, stack.kind, true);
    if (onDisk.backend === 'local' && stack.kind.startsWith('bootstrap-') && existsSync(this.path(onDisk.file))) return onDisk;
    return stateLocation(this.env, stack.kind);
  }

  /** The text of the state at a location; `undefined` when there is none (never applied, or its bucket is gone). */
  async text(location: StateLocation): Promise<string | undefined> {
    switch (location.backend) {
      case 'local':
        return existsSync(this.path(location.file)) ? readFileSync(this.path(location.file), 'utf8') : undefined;
      case 'gcs':
        return this.#gcloud.objectText(`gs://${location.bucket}/${location.object}`);
      case 's3':
        return new Aws(this.#runner, location.region).objectText(location.bucket, location.key);
    }
  }

  /** The managed resources a stack's state lists now; `[]` when it lists none or there is no state. */
  async resources(stack: TeardownStack): Promise<StateResource[]> {
    return managedResources(await this.text(this.location(stack)));
  }

  /** A path of the project root, absolute. */
  path(file: string): string {
    return join(this.projectRoot, file);
  }
}
