/**
 * The arguments whose change makes Terraform replace a resource (`ForceNew` in the provider's
 * schema, or no Update function at all: `'*'`), for every resource type the stacks emit, as read
 * in the providers' source: google 6.50.0 (google/services/<service>/resource_*.go) and aws 6.x
 * (internal/service/<service>/*.go), confirmed for aws with `terraform plan` on the real 5.100.0
 * binary. Only the top-level argument name matters: a change anywhere inside a ForceNew block
 * (`managed`, `replication`) replaces the resource.
 */
export const FORCE_NEW: Readonly<Record<string, readonly string[] | '*'>> = {
  // Google
  google_artifact_registry_repository: ['repository_id', 'location', 'format', 'project', 'mode'],
  google_certificate_manager_certificate: ['name', 'project', 'location', 'scope', 'managed'],
  google_certificate_manager_certificate_map: ['name', 'project'],
  google_certificate_manager_certificate_map_entry: ['name', 'project', 'map', 'hostname', 'matcher'],
  google_certificate_manager_dns_authorization: ['name', 'project', 'location', 'domain', 'type'],
  google_cloud_run_v2_service: ['name', 'location', 'project'],
  google_cloud_run_v2_service_iam_member: '*',
  google_compute_backend_service: ['name', 'project'],
  google_compute_global_address: ['name', 'project', 'ip_version', 'address_type', 'address', 'description', 'purpose', 'network', 'prefix_length'],
  google_compute_global_forwarding_rule: ['name', 'project', 'ip_address', 'ip_protocol', 'port_range', 'load_balancing_scheme', 'description', 'network'],
  google_compute_region_network_endpoint_group: '*',
  google_compute_ssl_policy: ['name', 'project', 'description'],
  google_compute_target_http_proxy: ['name', 'project', 'description'],
  google_compute_target_https_proxy: ['name', 'project', 'description'],
  google_compute_url_map: ['name', 'project'],
  // google/services/logging (v6.50.0): the bucket's project, location and id; a sink's name and project; a
  // metric's project and its labels' key and value type (a changed label list replaces the metric).
  google_logging_project_bucket_config: ['project', 'location', 'bucket_id'],
  google_logging_project_sink: ['name', 'project'],
  google_logging_metric: ['project', 'metric_descriptor'],
  google_monitoring_alert_policy: ['project'],
  google_monitoring_dashboard: ['project'],
  google_monitoring_notification_channel: ['project'],
  google_project_iam_member: '*',
  google_project_service: ['project', 'service'],
  google_storage_bucket: ['name', 'project', 'location', 'storage_class'],
  google_storage_bucket_iam_member: '*',
  google_service_account_iam_member: '*',
  google_iam_workload_identity_pool: ['workload_identity_pool_id', 'project'],
  google_iam_workload_identity_pool_provider: ['workload_identity_pool_id', 'workload_identity_pool_provider_id', 'project'],
  google_secret_manager_secret: ['secret_id', 'project', 'replication', 'tags'],
  google_secret_manager_secret_iam_member: '*',
  google_service_account: ['account_id', 'project'],
  // AWS
  aws_acm_certificate: ['domain_name', 'validation_method', 'subject_alternative_names'],
  aws_acm_certificate_validation: '*',
  aws_apigatewayv2_api: ['protocol_type'],
  aws_apigatewayv2_api_mapping: ['api_id', 'domain_name'],
  aws_apigatewayv2_domain_name: ['domain_name'],
  aws_apigatewayv2_integration: ['api_id', 'integration_type'],
  aws_apigatewayv2_route: ['api_id'],
  aws_apigatewayv2_stage: ['api_id', 'name'],
  aws_cloudwatch_log_group: ['name', 'name_prefix'],
  aws_cloudwatch_metric_alarm: ['alarm_name'],
  aws_cloudwatch_dashboard: ['dashboard_name'],
  // internal/service/logs/metric_filter.go.
  aws_cloudwatch_log_metric_filter: ['name', 'log_group_name'],
  aws_iam_role: ['name', 'name_prefix', 'path'],
  aws_iam_role_policy: ['name', 'name_prefix', 'role'],
  aws_lambda_alias: ['name', 'function_name'],
  // internal/service/lambda/function.go: package_type is ForceNew (Zip ↔ Image replaces the function).
  aws_lambda_function: ['function_name', 'package_type'],
  aws_lambda_permission: '*',
  aws_route53_health_check: ['type', 'request_interval', 'measure_latency', 'reference_name'],
  aws_route53_record: ['zone_id', 'name'],
  aws_secretsmanager_secret: ['name', 'name_prefix'],
  // internal/service/ecr/repository.go, repository_policy.go.
  aws_ecr_repository: ['name', 'encryption_configuration'],
  aws_ecr_repository_policy: ['repository'],
  aws_s3_bucket: ['bucket', 'bucket_prefix', 'object_lock_enabled'],
  aws_s3_bucket_versioning: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_server_side_encryption_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_public_access_block: ['bucket'],
  aws_s3_bucket_ownership_controls: ['bucket'],
  aws_s3_bucket_lifecycle_configuration: ['bucket', 'expected_bucket_owner'],
  aws_s3_bucket_policy: ['bucket'],
  aws_iam_openid_connect_provider: ['url'],
  aws_iam_role_policy_attachment: '*',
  aws_sns_topic: ['name', 'name_prefix', 'fifo_topic'],
  aws_sns_topic_subscription: '*',
};

/**
 * AWS resource types that live in no region (IAM, Route 53): moving the provider to another
 * region leaves them where they are; every other AWS resource is re-created in the new region.
 */
export const AWS_GLOBAL_TYPES: ReadonlySet<string> = new Set([
  'aws_iam_role',
  'aws_iam_role_policy',
  'aws_iam_role_policy_attachment',
  'aws_iam_openid_connect_provider',
  'aws_route53_record',
  'aws_route53_health_check',
  'aws_cloudwatch_dashboard',
]);
