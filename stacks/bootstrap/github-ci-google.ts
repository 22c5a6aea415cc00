import { IamWorkloadIdentityPool } from '@cdktf/provider-google/lib/iam-workload-identity-pool/index.js';
import { IamWorkloadIdentityPoolProvider } from '@cdktf/provider-google/lib/iam-workload-identity-pool-provider/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { Construct } from 'constructs';
import { GITHUB_OIDC_ISSUER, githubSubjects } from './github-ci.js';

/**
 * Project roles of the plan identity: read everything the stacks hold, IAM policies included
 * (a plan refreshes them), change nothing.
 */
export const GOOGLE_PLAN_ROLES = ['roles/viewer', 'roles/iam.securityReviewer'] as const;

/**
 * Project roles of the deploy identity: exactly the services the gcp stack manages, plus pushing
 * images and submitting builds. `iam.serviceAccountUser` lets it deploy Cloud Run as the runtime
 * service account; `resourcemanager.projectIamAdmin` lets it grant that account its three roles.
 */
export const GOOGLE_DEPLOY_ROLES = [
  'roles/run.admin',
  'roles/compute.loadBalancerAdmin',
  'roles/certificatemanager.owner',
  'roles/artifactregistry.writer',
  'roles/secretmanager.admin',
  'roles/monitoring.editor',
  'roles/iam.serviceAccountAdmin',
  'roles/iam.serviceAccountUser',
  'roles/resourcemanager.projectIamAdmin',
  'roles/cloudbuild.builds.editor',
  'roles/serviceusage.serviceUsageConsumer',
] as const;

/** Props of {@link GithubCiGoogle}. */
export interface GithubCiGoogleProps {
  /** The GCP project. */
  readonly project: string;
  /** Prefix of every name (`mcp-bridge-<env>`). */
  readonly name: string;
  /** The environment, as the GitHub environment the deploy job runs in is named. */
  readonly environment: string;
  /** The branch pull requests merge into: its pushes may plan too. */
  readonly defaultBranch: string;
  /** `owner/name` of the repository whose workflows may use the identities. */
  readonly repository: string;
  /** Buckets both identities read and lock Terraform state in (the state bucket, when remote). */
  readonly stateBuckets: readonly string[];
  /** Buckets only the deploy identity writes (Cloud Build's source staging). */
  readonly deployBuckets: readonly string[];
}

/**
 * Keyless CI on Google Cloud: a workload identity pool trusting GitHub's OIDC tokens of one
 * repository only, a plan service account its pull requests and default branch may impersonate, and a deploy
 * service account only its jobs in the environment's GitHub environment may impersonate.
 */
export class GithubCiGoogle extends Construct {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/github`: GCP_WORKLOAD_IDENTITY_PROVIDER. */
  readonly providerName: string;
  /** The plan identity: GCP_PLAN_SERVICE_ACCOUNT. */
  readonly planServiceAccount: ServiceAccount;
  /** The deploy identity: GCP_DEPLOY_SERVICE_ACCOUNT. */
  readonly deployServiceAccount: ServiceAccount;

  constructor(scope: Construct, id: string, props: GithubCiGoogleProps) {
    super(scope, id);
    const { project } = props;
    const pool = new IamWorkloadIdentityPool(this, 'pool', {
      project,
      workloadIdentityPoolId: `${props.name}-gh`,
      displayName: `GitHub Actions of ${props.repository}`.slice(0, 32),
    });
    const provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      project,
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: 'github',
      oidc: { issuerUri: GITHUB_OIDC_ISSUER },
      attributeMapping: { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' },
      // Tokens of any other repository are refused before any binding is looked at.
      attributeCondition: `assertion.repository == "${props.repository}"`,
    });
    this.providerName = provider.name;

    const subjects = githubSubjects(props.repository, props.environment, props.defaultBranch);
    const subject = (sub: string) => `principal://iam.googleapis.com/${pool.name}/subject/${sub}`;
    const identity = (kind: 'plan' | 'deploy', principals: readonly string[], roles: readonly string[], buckets: readonly string[]) => {
      const account = new ServiceAccount(this, `${kind}-account`, {
        project,
        accountId: `${props.name}-${kind}`,
        displayName: `GitHub Actions ${kind} for ${props.name}`,
      });
      for (const [index, member] of principals.entries()) {
        new ServiceAccountIamMember(this, index === 0 ? `${kind}-federation` : `${kind}-federation-${index}`, {
          serviceAccountId: account.name,
          role: 'roles/iam.workloadIdentityUser',
          member,
        });
      }
      for (const role of roles) {
        new ProjectIamMember(this, `${kind}-${role.split('/')[1]}`, { project, role, member: account.member });
      }
      for (const [index, bucket] of buckets.entries()) {
        new StorageBucketIamMember(this, `${kind}-bucket-${index}`, { bucket, role: 'roles/storage.objectUser', member: account.member });
      }
      return account;
    };
    this.planServiceAccount = identity(
      'plan',
      subjects.plan.map(subject),
      GOOGLE_PLAN_ROLES,
      props.stateBuckets,
    );
    this.deployServiceAccount = identity(
      'deploy',
      [subject(subjects.deploy)],
      GOOGLE_DEPLOY_ROLES,
      [...props.stateBuckets, ...props.deployBuckets],
    );
  }
}
