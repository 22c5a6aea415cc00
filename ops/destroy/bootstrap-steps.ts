import { writeFileSync } from 'node:fs';
import { awsSecretName, environmentSecrets } from '../../stacks/bridge-environment.js';
import { buildSourcesBucket, resourceName } from '../../stacks/naming.js';
import { describeLocation, localStateFile, stateLocation } from '../../stacks/remote-state.js';
import type { Step } from '../runner/step-runner.js';
import { confirmByName } from './confirmation.js';
import { destroyStackStep } from './stack-step.js';
import { bootstrapStacks, managedResources, type StateResource } from '../terraform/stack-state.js';
import type { Teardown } from './teardown.js';

/**
 * The bootstrap part of a teardown, after the serving part: a second typed confirmation; the
 * Secrets Manager secrets deleted without recovery when asked; Cloud Build's staged sources (the
 * bucket's `force_destroy` is off, so Terraform cannot delete it while they are there); the
 * bootstrap state copied back to this disk (it lives in the buckets this part deletes); both
 * bootstrap stacks, without the state buckets (`prevent_destroy`: Terraform refuses to destroy
 * them, so they leave its state first); last, each state bucket emptied of every object version
 * and delete marker, then deleted, once every state in it lists no resources.
 */
export function bootstrapTeardownSteps(teardown: Teardown): Step[] {
  const { env, context, states, gcloud } = teardown;
  const name = env.name;
  const stacks = bootstrapStacks(env);
  const state = env.state;
  const sources = buildSourcesBucket(env);
  const secrets = environmentSecrets(env).map((secret) => awsSecretName(resourceName(name), secret));
  const secretsManager = teardown.aws(env.aws.region);

  /** The state bucket's resources in a bootstrap stack's state: the bucket and what configures it. */
  const stateBucketResources = (resources: readonly StateResource[]) =>
    state.backend === 'local'
      ? []
      : resources.filter(
          (resource) =>
            (resource.type === 'google_storage_bucket' && resource.attributes.name === state.gcs.bucket) ||
            (resource.type.startsWith('aws_s3_bucket') && resource.attributes.bucket === state.s3.bucket),
        );
  let synthesized = false;
  const destroyBootstrap = (stack: (typeof stacks)[number]): Step =>
    destroyStackStep(teardown, stack, {
      cdktf: teardown.bootstrapCdktf,
      note: `state on this disk, ${localStateFile(stack.id)}${state.backend === 'remote' ? '; the state bucket left out of it' : ''}`,
      prepare: async (resources) => {
        if (!synthesized) await teardown.bootstrapCdktf.synth();
        synthesized = true;
        // Its folder last ran against the bucket (a deploy, a diff): cdktf's own init stops at the changed backend.
        await teardown.bootstrapCdktf.reconfigure(stack.id);
        const bucket = stateBucketResources(resources);
        if (bucket.length > 0) await teardown.bootstrapCdktf.forget(stack.id, bucket.map((resource) => resource.address));
      },
    });

  /**
   * Refuses to delete a state bucket that holds anything but this environment's states, each
   * listing no resources (a bootstrap stack's read from this disk, where it moved).
   */
  const checkStateBucket = async (url: string, keys: readonly string[], readRemote: (key: string) => Promise<string | undefined>) => {
    const foreign = keys.filter((key) => !key.startsWith(`${name}/`));
    if (foreign.length > 0) throw new Error(`${url} also holds ${foreign.length} object(s) outside ${name}/ (${foreign.slice(0, 3).join(', ')}): it is kept; delete them, or the bucket, by hand`);
    for (const key of keys.filter((candidate) => candidate.endsWith('.tfstate'))) {
      const bootstrap = stacks.find((stack) => {
        const remote = stateLocation(env, stack.kind);
        return (remote.backend === 'gcs' && remote.object === key) || (remote.backend === 's3' && remote.key === key);
      });
      const left = managedResources(bootstrap === undefined ? await readRemote(key) : await states.text(states.location(bootstrap)));
      if (left.length > 0) {
        throw new Error(`${url}/${key} still lists ${left.length} resource(s) (${left.slice(0, 3).map((resource) => resource.address).join(', ')}): destroy its stack first, or they are left without a state`);
      }
    }
  };

  const steps: Step[] = [
    {
      name: 'confirm the bootstrap teardown',
      runs: context.yes ? '--yes' : `type ${name} again`,
      run: () => confirmByName(context, name, `Type ${name} again to remove its bootstrap stacks, secrets and state buckets: `, 'the bootstrap stacks, secrets and state buckets are kept'),
      onFailure: `${teardown.rerun} when you mean it`,
    },
  ];
  if (context.forceDeleteSecrets) {
    steps.push({
      name: 'delete the secrets without recovery',
      runs: `aws secretsmanager delete-secret --force-delete-without-recovery --secret-id ${secrets.join(', ')} (restored first if scheduled for deletion); Terraform then finds ${secrets.length === 1 ? 'it' : 'them'} gone`,
      isDone: async () => (await Promise.all(secrets.map((secret) => secretsManager.secretStatus(secret)))).every((status) => status === 'absent') && 'no secret left',
      run: async () => {
        const deleted: string[] = [];
        for (const secret of secrets) {
          const status = await secretsManager.secretStatus(secret);
          if (status === 'absent') continue;
          if (status === 'scheduled for deletion') await secretsManager.restoreSecret(secret);
          await secretsManager.deleteSecretWithoutRecovery(secret);
          deleted.push(secret);
        }
        return `deleted ${deleted.join(', ')} at once`;
      },
      onFailure: `check that you may delete and restore the secrets (secretsmanager:DeleteSecret, secretsmanager:RestoreSecret), then ${teardown.rerun}`,
    });
  }
  steps.push({
    name: 'empty the build sources bucket',
    runs: `gcloud storage rm --all-versions gs://${sources}/**: Cloud Build's staged sources (Terraform will not delete a bucket that holds objects: force_destroy is off)`,
    isDone: async () => {
      if (!(await gcloud.bucketExists(sources))) return `gs://${sources} does not exist`;
      return (await gcloud.objectGenerations(sources)).length === 0 && `gs://${sources} is empty`;
    },
    run: async () => {
      const generations = await gcloud.objectGenerations(sources);
      await gcloud.deleteObjects(sources);
      return `deleted ${generations.length} object version(s)`;
    },
    onFailure: `check that you may delete objects in gs://${sources}, then ${teardown.rerun}`,
  });
  if (state.backend === 'remote') {
    const inBucketOnly = async () => {
      const found = [];
      for (const stack of stacks) {
        if (states.location(stack).backend === 'local') continue;
        const text = await states.text(states.location(stack));
        if (text !== undefined) found.push({ stack, text });
      }
      return found;
    };
    steps.push({
      name: 'move the bootstrap state to this disk',
      runs: `${stacks.map((stack) => `${describeLocation(stateLocation(env, stack.kind))} → ${localStateFile(stack.id)}`).join(', ')}: the buckets holding it are deleted last`,
      isDone: async () => (await inBucketOnly()).length === 0 && 'the bootstrap state is on this disk, or was never in a bucket',
      run: async () => {
        const moved = await inBucketOnly();
        for (const { stack, text } of moved) writeFileSync(states.path(localStateFile(stack.id)), text);
        return `copied ${moved.map(({ stack }) => stack.id).join(' and ')} (the copies in the buckets stay until the buckets go)`;
      },
      onFailure: `check that you may read the state buckets and write ${context.projectRoot}, then ${teardown.rerun}`,
    });
  }
  steps.push(...stacks.map(destroyBootstrap));
  if (state.backend === 'remote') {
    const gcs = state.gcs.bucket;
    const s3 = teardown.aws(state.s3.region);
    steps.push(
      {
        name: `delete the state bucket gs://${gcs}`,
        runs: `gcloud storage rm --recursive gs://${gcs}: every generation of every object, then the bucket, once each state in it lists no resources`,
        isDone: async () => !(await gcloud.bucketExists(gcs)) && `gs://${gcs} does not exist`,
        run: async () => {
          const generations = await gcloud.objectGenerations(gcs);
          const keys = [...new Set(generations.map((url) => url.slice(`gs://${gcs}/`.length).replace(/#\d+$/, '')))];
          await checkStateBucket(`gs://${gcs}`, keys, (key) => gcloud.objectText(`gs://${gcs}/${key}`));
          await gcloud.deleteBucket(gcs);
          return `deleted ${generations.length} object version(s) and the bucket`;
        },
        onFailure: `read the error above, then ${teardown.rerun}`,
      },
      {
        name: `delete the state bucket s3://${state.s3.bucket}`,
        runs: `aws s3api list-object-versions, delete-objects (every version and delete marker), delete-bucket s3://${state.s3.bucket}, once each state in it lists no resources`,
        isDone: async () => (await s3.objectVersions(state.s3.bucket)) === undefined && `s3://${state.s3.bucket} does not exist`,
        run: async () => {
          const versions = (await s3.objectVersions(state.s3.bucket)) ?? [];
          await checkStateBucket(`s3://${state.s3.bucket}`, [...new Set(versions.map((version) => version.key))], (key) => s3.objectText(state.s3.bucket, key));
          await s3.deleteObjectVersions(state.s3.bucket, versions);
          await s3.deleteBucket(state.s3.bucket);
          return `deleted ${versions.length} object version(s) and delete marker(s), and the bucket`;
        },
        onFailure: `read the error above, then ${teardown.rerun}`,
      },
    );
  }
  return steps;
}
