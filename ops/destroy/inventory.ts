import { existsSync } from 'node:fs';
import { environmentSecrets, googleSecretId } from '../../stacks/bridge-environment.js';
import { softDeletables } from '../bootstrap/soft-deleted.js';
import { buildSourcesBucket, lambdaFunctionName, resourceName } from '../../stacks/naming.js';
import { deployJournalFile } from '../runner/journal.js';
import { describeLocation } from '../../stacks/remote-state.js';
import { bootstrapStacks, servingStacks, type StateResource, type TeardownStack } from '../terraform/stack-state.js';
import type { Teardown } from './teardown.js';

/** A stack, where its state is, and what that state lists. */
export interface StackInventory {
  /** The stack. */
  readonly stack: TeardownStack;
  /** Where its state is, in words. */
  readonly state: string;
  /** What its state lists (nothing: never applied, or destroyed already). */
  readonly resources: readonly StateResource[];
}

/** What a bucket holds: the number of object versions (every generation, every delete marker), or `undefined` when the bucket does not exist. */
export interface BucketInventory {
  /** `gs://name` or `s3://name`. */
  readonly url: string;
  readonly versions: number | undefined;
}

/** Everything a teardown would remove, read before anything is touched. */
export interface Inventory {
  /** The serving stacks, in the order they are destroyed. */
  readonly serving: readonly StackInventory[];
  /** Each Cloud Run region's revisions (deleted with their service). */
  readonly revisions: ReadonlyArray<{ readonly region: string; readonly names: readonly string[] }>;
  /** The digests of the images deploy pushed. */
  readonly images: readonly string[];
  /** The log groups the aws stacks create, by region: deleted by name if Terraform leaves one. */
  readonly logGroups: ReadonlyArray<{ readonly region: string; readonly names: readonly string[] }>;
  /** The deploy journal, when there is one. */
  readonly deployJournal?: string;
  /** The bootstrap part, with `includeBootstrap`. */
  readonly bootstrap?: {
    /** The bootstrap stacks, in the order they are destroyed. */
    readonly stacks: readonly StackInventory[];
    /** The bucket Cloud Build stages the sources of deploy's builds in. */
    readonly buildSources: BucketInventory;
    /** The state buckets (none with local state), deleted last. */
    readonly stateBuckets: readonly BucketInventory[];
  };
}

/** The log groups an aws stack makes (the function's and the API's access logs): the only ones a teardown deletes by name. */
export function logGroupNames(teardown: Teardown): string[] {
  const name = resourceName(teardown.env.name);
  return [`/aws/lambda/${lambdaFunctionName(teardown.env)}`, `/aws/apigateway/${name}`];
}

/** The deploy journal of the environment, relative to the project root (see {@link deployJournalFile}). */
export function deployJournal(teardown: Teardown): string {
  return deployJournalFile(teardown.env.name);
}

async function stackInventory(teardown: Teardown, stack: TeardownStack): Promise<StackInventory> {
  return { stack, state: describeLocation(teardown.states.location(stack)), resources: await teardown.states.resources(stack) };
}

/** Reads what is there. Nothing is changed anywhere. */
export async function readInventory(teardown: Teardown): Promise<Inventory> {
  const { env, gcloud } = teardown;
  const serving: StackInventory[] = [];
  for (const stack of servingStacks(env)) serving.push(await stackInventory(teardown, stack));
  const revisions = await Promise.all(env.gcp.regions.map(async (region) => ({ region, names: await gcloud.revisions(resourceName(env.name), region) })));
  const images = await gcloud.imageDigests(teardown.images.image);
  const journal = deployJournal(teardown);
  const inventory: Inventory = {
    serving,
    revisions,
    images,
    logGroups: env.aws.regions.map((region) => ({ region, names: logGroupNames(teardown) })),
    ...(existsSync(teardown.states.path(journal)) ? { deployJournal: journal } : {}),
  };
  if (!teardown.context.includeBootstrap) return inventory;

  const stacks: StackInventory[] = [];
  for (const stack of bootstrapStacks(env)) stacks.push(await stackInventory(teardown, stack));
  const gcsVersions = async (bucket: string) => ((await gcloud.bucketExists(bucket)) ? (await gcloud.objectGenerations(bucket)).length : undefined);
  const state = env.state;
  const stateBuckets: BucketInventory[] =
    state.backend === 'local'
      ? []
      : [
          { url: `gs://${state.gcs.bucket}`, versions: await gcsVersions(state.gcs.bucket) },
          { url: `s3://${state.s3.bucket}`, versions: (await teardown.aws(state.s3.region).objectVersions(state.s3.bucket))?.length },
        ];
  const sources = buildSourcesBucket(env);
  return { ...inventory, bootstrap: { stacks, buildSources: { url: `gs://${sources}`, versions: await gcsVersions(sources) }, stateBuckets } };
}

function stackLines(entry: StackInventory): string[] {
  const head = `  ${entry.stack.id}, state in ${entry.state}: `;
  if (entry.resources.length === 0) return [`${head}nothing deployed`];
  return [`${head}${entry.resources.length} resource(s)`, ...entry.resources.map((resource) => `    ${resource.address}`)];
}

const count = (bucket: BucketInventory, what: string) => (bucket.versions === undefined ? 'no such bucket' : `${bucket.versions} ${what}`);

/** The inventory as the list printed before the confirmation, in the order things are removed. */
export function renderInventory(teardown: Teardown, inventory: Inventory): string[] {
  const { env, context } = teardown;
  const service = resourceName(env.name);
  const [edge, ...rest] = inventory.serving;
  const lines = [
    `npm run destroy -- ${env.name} removes, in this order:`,
    ...stackLines(edge!),
    ...rest.flatMap(stackLines),
    ...inventory.revisions.map(({ region, names }) => `    Cloud Run ${service} in ${region}: ${names.length === 0 ? 'no revision' : `revisions ${names.join(', ')}`} (deleted with the service)`),
    `  images npm run deploy pushed to ${teardown.images.image}: ${inventory.images.length === 0 ? 'none' : inventory.images.length}`,
    ...inventory.images.map((digest) => `    ${digest}`),
    ...inventory.logGroups.map(({ region, names }) => `  log groups ${names.join(', ')} in ${region}, should Terraform leave them`),
    ...(inventory.deployJournal === undefined ? [] : [`  the deploy journal ${inventory.deployJournal} (so the next deploy applies every stack)`]),
  ];
  const bootstrap = inventory.bootstrap;
  if (bootstrap === undefined) {
    const [aws, gcp] = bootstrapStacks(env);
    lines.push(`kept: ${aws!.id} and ${gcp!.id} (state buckets, image repository, secrets, CI identities): --include-bootstrap removes them too`);
    return lines;
  }
  const [awsStack, gcpStack] = bootstrap.stacks;
  // What the clouds keep soft-deleted under its id after the destroy, and a bootstrap of the same name takes back.
  const lingering = softDeletables(env, teardown.gcloud, teardown.aws(env.aws.region));
  const bootstrapAgain = `npm run bootstrap -- ${env.name}`;
  lines.push(
    'then, after a second confirmation:',
    ...lingering
      .filter((resource) => resource.stack === 'bootstrap-aws')
      .map((resource) =>
        context.forceDeleteSecrets
          ? `  ${resource.label}: deleted at once, without recovery (--force-delete-secrets)`
          : `  ${resource.label}: scheduled for deletion, recoverable for ${resource.kept} and its name taken until then (${bootstrapAgain} restores it, with its value); --force-delete-secrets deletes it at once`,
      ),
    `  objects in ${bootstrap.buildSources.url} (Cloud Build's staged sources): ${count(bootstrap.buildSources, 'object version(s)')}`,
    ...(env.state.backend === 'remote' ? ['  the bootstrap stacks\' state, copied to this disk first (the buckets holding it go last)'] : []),
    ...stackLines(awsStack!),
    ...stackLines(gcpStack!),
    ...environmentSecrets(env).map((secret) => `    with it, Secret Manager ${googleSecretId(service, secret)}: deleted with every version (Secret Manager keeps no recovery window)`),
    ...lingering
      .filter((resource) => resource.stack === 'bootstrap-gcp')
      .map((resource) => `    with it, the ${resource.label}: soft-deleted, its id taken for ${resource.kept} (${bootstrapAgain} undeletes it)`),
    ...bootstrap.stateBuckets.map(
      (bucket) => `  ${bucket.url}: ${count(bucket, bucket.url.startsWith('s3://') ? 'object version(s) and delete marker(s)' : 'object version(s)')}, then the bucket (Terraform may not delete it: prevent_destroy)`,
    ),
  );
  return lines;
}
