import type { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { dependable, TerraformResource } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * The API each Google resource type the stacks emit is created, read and deleted through: the
 * service of the provider's base path for that resource (google 6.50). `google_project_service`
 * itself goes through Service Usage, which a new project has on (bootstrap cannot enable the API
 * it enables APIs with). A type missing here fails synth: add its API, and bootstrap enables it.
 */
export const GOOGLE_API_OF_RESOURCE: Readonly<Record<string, string>> = {
  google_artifact_registry_repository: 'artifactregistry.googleapis.com',
  google_certificate_manager_certificate: 'certificatemanager.googleapis.com',
  google_certificate_manager_certificate_map: 'certificatemanager.googleapis.com',
  google_certificate_manager_certificate_map_entry: 'certificatemanager.googleapis.com',
  google_certificate_manager_dns_authorization: 'certificatemanager.googleapis.com',
  google_cloud_run_v2_service: 'run.googleapis.com',
  google_cloud_run_v2_service_iam_member: 'run.googleapis.com',
  google_compute_backend_service: 'compute.googleapis.com',
  google_compute_global_address: 'compute.googleapis.com',
  google_compute_global_forwarding_rule: 'compute.googleapis.com',
  google_compute_region_network_endpoint_group: 'compute.googleapis.com',
  google_compute_ssl_policy: 'compute.googleapis.com',
  google_compute_target_http_proxy: 'compute.googleapis.com',
  google_compute_target_https_proxy: 'compute.googleapis.com',
  google_compute_url_map: 'compute.googleapis.com',
  google_iam_workload_identity_pool: 'iam.googleapis.com',
  google_iam_workload_identity_pool_provider: 'iam.googleapis.com',
  google_logging_metric: 'logging.googleapis.com',
  google_logging_project_bucket_config: 'logging.googleapis.com',
  google_logging_project_sink: 'logging.googleapis.com',
  google_monitoring_alert_policy: 'monitoring.googleapis.com',
  google_monitoring_dashboard: 'monitoring.googleapis.com',
  google_monitoring_notification_channel: 'monitoring.googleapis.com',
  google_project_iam_member: 'cloudresourcemanager.googleapis.com',
  google_project_service: 'serviceusage.googleapis.com',
  google_secret_manager_secret: 'secretmanager.googleapis.com',
  google_secret_manager_secret_iam_member: 'secretmanager.googleapis.com',
  google_service_account: 'iam.googleapis.com',
  google_service_account_iam_member: 'iam.googleapis.com',
  google_storage_bucket: 'storage.googleapis.com',
  google_storage_bucket_iam_member: 'storage.googleapis.com',
};

/** APIs that what the stacks make calls at run time, not Terraform: Cloud Build (the image), and STS and IAM Credentials (CI's keyless sign-in). */
const RUNTIME_APIS = ['cloudbuild.googleapis.com', 'sts.googleapis.com', 'iamcredentials.googleapis.com'];

/** The APIs bootstrap enables: every resource type's (but Service Usage's, on in every project) and the run-time ones. */
export const GOOGLE_APIS: readonly string[] = [...new Set([...Object.values(GOOGLE_API_OF_RESOURCE), ...RUNTIME_APIS])].filter((api) => api !== 'serviceusage.googleapis.com');

/** The API a Google resource type goes through; throws naming the type when the table has none. */
export function googleApiOf(type: string): string {
  const api = GOOGLE_API_OF_RESOURCE[type];
  if (api === undefined) throw new Error(`${type}: no API known for this Google resource type: add it to GOOGLE_API_OF_RESOURCE (stacks/bootstrap/google-apis.ts)`);
  return api;
}

/**
 * Makes every Google resource under `scope` depend on the enabling of the API it goes through, so
 * a fresh project's first apply never creates one before its API is on (a 403 "API has not been
 * used"). Call it once everything is built.
 */
export function dependOnTheirApis(scope: IConstruct, enabled: ReadonlyMap<string, ProjectService>): void {
  for (const node of scope.node.findAll()) {
    if (!(node instanceof TerraformResource) || !node.terraformResourceType.startsWith('google_') || node.terraformResourceType === 'google_project_service') continue;
    const service = enabled.get(googleApiOf(node.terraformResourceType));
    if (service === undefined) throw new Error(`${node.node.path}: its API ${googleApiOf(node.terraformResourceType)} is not enabled by bootstrap`);
    node.dependsOn = [...new Set([...(node.dependsOn ?? []), dependable(service)])];
  }
}
