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
 * The predefined role that lets the deploy identity create, read, update and delete each Google
 * resource type the gcp stack emits (the narrowest role holding all of that type's permissions, as
 * the IAM roles reference lists them). A type the stack emits that is missing here fails the
 * derived-permissions test; the deploy identity's roles come from this table.
 */
export const GOOGLE_ROLE_OF_RESOURCE: Readonly<Record<string, string>> = {
  google_cloud_run_v2_service: 'roles/run.admin',
  // run.developer cannot set a service's IAM policy.
  google_cloud_run_v2_service_iam_member: 'roles/run.admin',
  google_compute_backend_service: 'roles/compute.loadBalancerAdmin',
  google_compute_global_address: 'roles/compute.loadBalancerAdmin',
  google_compute_global_forwarding_rule: 'roles/compute.loadBalancerAdmin',
  // networkAdmin can only get and use serverless NEGs; loadBalancerAdmin creates and deletes them.
  google_compute_region_network_endpoint_group: 'roles/compute.loadBalancerAdmin',
  google_compute_ssl_policy: 'roles/compute.loadBalancerAdmin',
  google_compute_target_http_proxy: 'roles/compute.loadBalancerAdmin',
  google_compute_target_https_proxy: 'roles/compute.loadBalancerAdmin',
  google_compute_url_map: 'roles/compute.loadBalancerAdmin',
  // certificatemanager.editor has no delete permissions.
  google_certificate_manager_certificate: 'roles/certificatemanager.owner',
  google_certificate_manager_certificate_map: 'roles/certificatemanager.owner',
  google_certificate_manager_certificate_map_entry: 'roles/certificatemanager.owner',
  google_certificate_manager_dns_authorization: 'roles/certificatemanager.owner',
  google_logging_metric: 'roles/logging.configWriter',
  google_monitoring_alert_policy: 'roles/monitoring.editor',
  google_monitoring_dashboard: 'roles/monitoring.editor',
  google_monitoring_notification_channel: 'roles/monitoring.editor',
  google_project_iam_member: 'roles/resourcemanager.projectIamAdmin',
  google_secret_manager_secret_iam_member: 'roles/secretmanager.admin',
  google_service_account: 'roles/iam.serviceAccountAdmin',
};

/**
 * What `npm run deploy` needs besides applying the gcp stack: pushing the image, submitting its
 * build, using the project's quota, and deploying Cloud Run as the runtime service account (actAs).
 */
const GOOGLE_DEPLOY_COMMAND_ROLES = ['roles/artifactregistry.writer', 'roles/cloudbuild.builds.editor', 'roles/serviceusage.serviceUsageConsumer', 'roles/iam.serviceAccountUser'];

/** Project roles of the deploy identity: the table's, and the deploy command's own. */
export const GOOGLE_DEPLOY_ROLES: readonly string[] = [...new Set([...Object.values(GOOGLE_ROLE_OF_RESOURCE), ...GOOGLE_DEPLOY_COMMAND_ROLES])];

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
 * The ids of the workload identity pool that trusts an environment's GitHub Actions and of its one
 * provider. A destroy leaves both soft-deleted under these ids for about 30 days; `npm run
 * bootstrap` takes them back rather than fail to create them again.
 */
export function githubWorkloadIdentity(name: string): { readonly pool: string; readonly provider: string } {
  return { pool: `${name}-gh`, provider: 'github' };
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
    const ids = githubWorkloadIdentity(props.name);
    const pool = new IamWorkloadIdentityPool(this, 'pool', {
      project,
      workloadIdentityPoolId: ids.pool,
      displayName: `GitHub Actions of ${props.repository}`.slice(0, 32),
    });
    const provider = new IamWorkloadIdentityPoolProvider(this, 'provider', {
      project,
      workloadIdentityPoolId: pool.workloadIdentityPoolId,
      workloadIdentityPoolProviderId: ids.provider,
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
