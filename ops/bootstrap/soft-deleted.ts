import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditBucketId } from '../../stacks/bootstrap/audit-log-bucket.js';
import { githubWorkloadIdentity } from '../../stacks/bootstrap/github-ci-google.js';
import { awsSecretName, environmentSecrets } from '../../stacks/bridge-environment.js';
import type { EnvironmentConfig } from '../../stacks/config.js';
import { resourceName, stackId } from '../../stacks/naming.js';
import type { Aws } from '../clouds/aws.js';
import type { Cdktf } from '../clouds/cdktf.js';
import type { Gcloud } from '../clouds/gcloud.js';
import type { Step } from '../runner/step-runner.js';
import { managedResources, type StateResource } from '../terraform/stack-state.js';

/** The bootstrap stacks, by kind. */
export type BootstrapKind = 'bootstrap-gcp' | 'bootstrap-aws';

/** What the cloud holds under a soft-deletable resource's id. */
export interface CloudCopy {
  /** Soft-deleted: it keeps its id (a create under it fails) until the cloud purges it. */
  readonly deleted: boolean;
  /** The id `terraform import` takes for it. */
  readonly importId: string;
}

/**
 * A resource of a bootstrap stack that a destroy leaves soft-deleted under its id: creating it
 * again fails (409, "scheduled for deletion") until the cloud purges it, so a bootstrap of the same
 * environment undeletes it and imports it into the stack's state instead.
 */
export interface SoftDeletable {
  /** What it is, for the operator: `workload identity pool mcp-bridge-staging-gh`. */
  readonly label: string;
  /** How long the cloud keeps it soft-deleted. */
  readonly kept: string;
  /** The bootstrap stack that manages it. */
  readonly stack: BootstrapKind;
  /** Its Terraform resource type. */
  readonly type: string;
  /** Attributes that tell it from the other resources of its type, as both the configuration and the state hold them. */
  readonly key: Readonly<Record<string, string>>;
  /** The command that takes it back, for the plan. */
  readonly undeleteCommand: string;
  /** Asks the cloud; `undefined` when nothing holds the id (never created, or purged). */
  readonly find: () => Promise<CloudCopy | undefined>;
  /** Takes it back from soft-deletion. */
  readonly undelete: () => Promise<void>;
}

/**
 * The environment's soft-deletable resources, in the order they are taken back (a pool before its
 * provider): the GitHub Actions workload identity pool and provider (with `github`; IAM keeps a
 * deleted one about 30 days, and its id cannot be reused until then) and the Secrets Manager
 * secrets (deleted with a 30-day recovery window unless `npm run destroy --force-delete-secrets`),
 * and the audit log bucket (held 7 days; the provider adopts a held one and fails to change it, so
 * it is undeleted, its audit lines with it). The Google secrets, service accounts, storage buckets
 * and repository are deleted for good, and their names can be used again at once.
 */
export function softDeletables(env: EnvironmentConfig, gcloud: Gcloud, aws: Aws): SoftDeletable[] {
  const service = resourceName(env.name);
  const project = env.gcp.project;
  const { pool, provider } = githubWorkloadIdentity(service);
  // The project's id, not its number: an import by number leaves `project` differing from the
  // configuration's, which forces a replacement (terraform-provider-google#14805).
  const poolPath = `projects/${project}/locations/global/workloadIdentityPools/${pool}`;
  const googleCopy = async (state: Promise<string | undefined>, importId: string): Promise<CloudCopy | undefined> => {
    const found = await state;
    return found === undefined ? undefined : { deleted: found === 'DELETED', importId };
  };
  const github: SoftDeletable[] =
    env.github === undefined
      ? []
      : [
          {
            label: `workload identity pool ${pool}`,
            kept: 'about 30 days',
            stack: 'bootstrap-gcp',
            type: 'google_iam_workload_identity_pool',
            key: { workload_identity_pool_id: pool },
            undeleteCommand: `gcloud iam workload-identity-pools undelete ${pool} --location=global`,
            find: () => googleCopy(gcloud.workloadIdentityPoolState(pool), poolPath),
            undelete: () => gcloud.undeleteWorkloadIdentityPool(pool),
          },
          {
            label: `workload identity pool provider ${pool}/${provider}`,
            kept: 'about 30 days',
            stack: 'bootstrap-gcp',
            type: 'google_iam_workload_identity_pool_provider',
            key: { workload_identity_pool_provider_id: provider },
            undeleteCommand: `gcloud iam workload-identity-pools providers undelete ${provider} --workload-identity-pool=${pool} --location=global`,
            find: () => googleCopy(gcloud.workloadIdentityPoolProviderState(pool, provider), `${poolPath}/providers/${provider}`),
            undelete: () => gcloud.undeleteWorkloadIdentityPoolProvider(pool, provider),
          },
        ];
  const secrets = environmentSecrets(env).map((secret): SoftDeletable => {
    const name = awsSecretName(service, secret);
    return {
      label: `Secrets Manager secret ${name}`,
      kept: '30 days (its recovery window)',
      stack: 'bootstrap-aws',
      type: 'aws_secretsmanager_secret',
      key: { name },
      undeleteCommand: `aws secretsmanager restore-secret --secret-id ${name}`,
      find: async () => {
        const found = await aws.describeSecret(name);
        // The provider imports a secret by its ARN (the id its create sets).
        return found === undefined ? undefined : { deleted: found.status === 'scheduled for deletion', importId: found.arn };
      },
      undelete: () => aws.restoreSecret(name),
    };
  });
  const bucket = auditBucketId(service);
  const auditBucket: SoftDeletable = {
    label: `log bucket ${bucket}`,
    kept: '7 days',
    stack: 'bootstrap-gcp',
    type: 'google_logging_project_bucket_config',
    key: { bucket_id: bucket },
    undeleteCommand: `gcloud logging buckets undelete ${bucket} --location=global`,
    find: async () => {
      const state = await gcloud.logBucketState(bucket);
      return state === undefined ? undefined : { deleted: state === 'DELETE_REQUESTED', importId: `projects/${project}/locations/global/buckets/${bucket}` };
    },
    undelete: () => gcloud.undeleteLogBucket(bucket),
  };
  return [...github, auditBucket, ...secrets];
}

/** Where a bootstrap stack applies now: through which cdktf (state on this disk, or in its bucket), and its state's text. */
export interface BootstrapTarget {
  readonly cdktf: Cdktf;
  readonly stateText: () => Promise<string | undefined>;
}

/** What {@link softDeletedStep} needs from the bootstrap. */
export interface SoftDeletedContext {
  readonly env: EnvironmentConfig;
  readonly resources: readonly SoftDeletable[];
  /** The project root: synth writes the stacks' configuration under it. */
  readonly projectRoot: string;
  readonly target: (kind: BootstrapKind) => Promise<BootstrapTarget>;
  readonly rerun: string;
}

const matches = (attributes: Readonly<Record<string, unknown>>, key: Readonly<Record<string, string>>) =>
  Object.entries(key).every(([name, value]) => attributes[name] === value);

/**
 * The bootstrap step that takes back what an earlier destroy of the environment left soft-deleted,
 * before the applies would fail to create it again: each one the cloud holds deleted is undeleted,
 * and each one the cloud holds that its stack's state does not list is imported at its address in
 * the synthesized configuration. On a fresh environment the cloud holds none of them, and the step
 * is done at once.
 */
export function softDeletedStep(context: SoftDeletedContext): Step {
  const { env, resources } = context;
  /**
   * What the cloud holds of each resource, whether its stack's state lists it, and whether it is
   * settled (nothing held, or held active and listed). Each stack's state is read once, and only
   * when the cloud holds something of it.
   */
  const survey = async () => {
    const copies = await Promise.all(resources.map((resource) => resource.find()));
    const listings = new Map<BootstrapKind, Promise<StateResource[]>>();
    const listing = (kind: BootstrapKind) => {
      if (!listings.has(kind)) listings.set(kind, context.target(kind).then(async (target) => managedResources(await target.stateText())));
      return listings.get(kind)!;
    };
    return Promise.all(
      resources.map(async (resource, index) => {
        const copy = copies[index];
        const listed = copy !== undefined && (await listing(resource.stack)).some((entry) => entry.type === resource.type && matches(entry.attributes, resource.key));
        return { resource, copy, listed, settled: copy === undefined || (!copy.deleted && listed) };
      }),
    );
  };
  /** The address of a resource in its stack's synthesized configuration (`cdktf.out/stacks/<id>/cdk.tf.json`). */
  const address = (target: BootstrapTarget, resource: SoftDeletable): string => {
    const file = join(context.projectRoot, target.cdktf.stackDirectory(stackId(env.name, resource.stack)), 'cdk.tf.json');
    const declared = existsSync(file) ? ((JSON.parse(readFileSync(file, 'utf8')) as { resource?: Record<string, Record<string, Record<string, unknown>>> }).resource?.[resource.type] ?? {}) : {};
    const names = Object.entries(declared).filter(([, config]) => matches(config, resource.key)).map(([name]) => name);
    if (names.length !== 1) throw new Error(`${file} declares ${names.length} ${resource.type} with ${JSON.stringify(resource.key)}, expected one: cannot tell where to import the ${resource.label}`);
    return `${resource.type}.${names[0]}`;
  };

  return {
    name: 'take back what a destroy left soft-deleted',
    runs: `${resources.map((resource) => resource.undeleteCommand).join('; ')}, where an earlier destroy of ${env.name} left them (their ids stay taken until purged); then terraform import of each into its bootstrap stack`,
    isDone: async () => {
      const found = await survey();
      if (found.every(({ copy }) => copy === undefined)) return `the clouds hold none of ${resources.length} soft-deletable resource(s) yet`;
      return found.every(({ settled }) => settled) && 'each is active and in its stack\'s state';
    },
    run: async () => {
      const outcomes: string[] = [];
      const toImport: Array<{ resource: SoftDeletable; importId: string }> = [];
      let restoredSecrets = false;
      for (const { resource, copy, listed, settled } of await survey()) {
        if (settled || copy === undefined) continue;
        if (copy.deleted) {
          await resource.undelete();
          restoredSecrets ||= resource.type === 'aws_secretsmanager_secret';
          outcomes.push(`undeleted the ${resource.label}`);
        }
        if (!listed) toImport.push({ resource, importId: copy.importId });
      }
      for (const kind of [...new Set(toImport.map(({ resource }) => resource.stack))]) {
        const target = await context.target(kind);
        const stack = stackId(env.name, kind);
        await target.cdktf.synth();
        await target.cdktf.init(stack);
        for (const { resource, importId } of toImport.filter((entry) => entry.resource.stack === kind)) {
          await target.cdktf.importResource(stack, address(target, resource), importId);
          outcomes.push(`imported the ${resource.label} into ${stack} (${importId})`);
        }
      }
      // A restored secret keeps its value: a destroy with --force-delete-secrets is the one that forgets the tokens.
      if (restoredSecrets) outcomes.push('the restored secrets hold what they held before the destroy: the tokens issued then are accepted again once deployed');
      return outcomes.join('; ');
    },
    onFailure: `read the error above (undeleting needs iam.workloadIdentityPools.undelete and iam.workloadIdentityPoolProviders.undelete on Google, secretsmanager:RestoreSecret on AWS); then ${context.rerun}`,
  };
}
