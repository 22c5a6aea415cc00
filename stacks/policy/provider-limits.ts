import type { PolicyRule, ResourceUnderReview } from './rules.js';

/**
 * The limits the providers and the cloud APIs put on the values this project derives from config.
 * Each was read in the provider's source (google 6.50.0 tag; aws 6.x, checked against the real
 * 5.100.0 binary) or, where the provider checks nothing and the API refuses at apply, in the
 * API's documentation. Where the provider enforces a rule only at apply (or not at all), breaking
 * it would pass `terraform validate` and fail mid-deploy: these rules fail synth instead, naming
 * the config field the value comes from.
 */

/** Where a value comes from in `stacks/environments.json`. */
const FROM = {
  environment: 'the environment name',
  domainName: 'domainName',
  previousRevision: 'previousRevision',
  emails: 'alerts.emails',
  gcsBucket: 'state.gcs.bucket / gcp.project',
  s3Bucket: 'state.s3.bucket',
  auth: 'auth',
  github: 'github.repository',
  code: 'a constant of the stacks',
} as const;

/** One limit on one argument of one resource type. */
export interface ArgumentLimit {
  /** The Terraform resource or data source type. */
  readonly type: string;
  /** The argument, dotted through nested blocks and lists: `template.revision`. */
  readonly argument: string;
  /** The rule, in words: `1-63 characters: a lowercase letter, then …`. */
  readonly rule: string;
  /**
   * Whether a value keeps the rule (a string, or for a map argument the map); `resource` is the
   * whole resource, for rules relative to another argument.
   */
  readonly accepts: (value: any, resource: Record<string, any>) => boolean;
  /** Where the rule is written: provider source file, or API documentation. */
  readonly source: string;
  /** Whether the provider itself checks it at plan (`validate`), or only the API at apply. */
  readonly checkedBy: 'provider at plan' | 'API at apply';
  /** Which config fields the value derives from, for the error message. */
  readonly from: readonly (typeof FROM)[keyof typeof FROM][];
}

/** `min`–`max` characters of a charset, for rules stated as a length and a pattern. */
function lengthAndPattern(min: number, max: number, pattern: RegExp): (value: string) => boolean {
  return (value) => value.length >= min && value.length <= max && pattern.test(value);
}

/** A rule on length alone: `{ rule, accepts }` for `min`–`max` characters. */
function characters(min: number, max: number): Pick<ArgumentLimit, 'rule' | 'accepts'> {
  return {
    rule: min === 0 ? `at most ${max} characters` : `${min}-${max} characters`,
    accepts: (value: string) => value.length >= min && value.length <= max,
  };
}

/** RFC 1035 labels: a lowercase letter first, then lowercase letters, digits and hyphens, no trailing hyphen. */
const RFC1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const rfc1035 = (min: number, max: number) => lengthAndPattern(min, max, RFC1035);
const RFC1035_RULE = (min: number, max: number) =>
  `${min}-${max} characters: a lowercase letter, then lowercase letters, digits or hyphens, not ending in a hyphen`;

/** The rule of every Compute Engine resource name (`verify.ValidateGCEName`, google/verify/validation.go). */
const gceName = (type: string, checkedBy: ArgumentLimit['checkedBy'] = 'API at apply'): ArgumentLimit => ({
  type,
  argument: 'name',
  rule: RFC1035_RULE(1, 63),
  accepts: rfc1035(1, 63),
  source: 'cloud.google.com/compute/docs/naming-resources; google/verify/validation.go ValidateGCEName',
  checkedBy,
  from: [FROM.environment],
});

/** Certificate Manager resource ids (certificatemanager resources' `name`). */
const certificateManagerName = (type: string): ArgumentLimit => ({
  type,
  argument: 'name',
  rule: '1-63 characters: a lowercase letter, then lowercase letters, digits, hyphens or underscores',
  accepts: lengthAndPattern(1, 63, /^[a-z][a-z0-9_-]*$/),
  source: 'google/services/certificatemanager/resource_certificate_manager_*.go descriptions (1-64, a letter first, letters, digits, _ or -; not checked by the provider); kept to the stricter lowercase form and 63',
  checkedBy: 'API at apply',
  from: [FROM.environment],
});

/** A DNS name as the certificate authorities and Route 53 take it: at most 253 characters, labels of at most 63. */
const dnsName = (type: string, argument: string, source: string): ArgumentLimit => ({
  type,
  argument,
  rule: 'a DNS name of at most 253 characters, each label at most 63, no trailing dot',
  accepts: (value: string) => value.length <= 253 && !value.endsWith('.') && value.split('.').every((label) => label.length >= 1 && label.length <= 63),
  source,
  checkedBy: 'API at apply',
  from: [FROM.domainName],
});

const isReference = (value: string) => value.includes('${');

/** Bytes Lambda counts for environment variables; a reference (an ARN, known at apply) as 256. */
function environmentSize(variables: Record<string, unknown>): number {
  return Object.entries(variables).reduce(
    (size, [name, value]) => size + Buffer.byteLength(name) + (isReference(String(value)) ? 256 : Buffer.byteLength(String(value))),
    0,
  );
}

/** GCP label values (cloud.google.com/resource-manager/docs/labels-overview): the provider checks none. */
const GCP_LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;
/** AWS tag values (IAM, Lambda, …: 0-256 characters of letters, digits, spaces and `_.:/=+-@`). */
const AWS_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * Every limit, by resource type and argument. A value that holds a Terraform reference (`${…}`)
 * is known only at apply and is not checked.
 */
export const PROVIDER_LIMITS: readonly ArgumentLimit[] = [
  // --- Google: Cloud Run, its identity, secrets, images -------------------------------------
  {
    type: 'google_cloud_run_v2_service',
    argument: 'name',
    rule: '1-49 characters: a lowercase letter, then lowercase letters, digits or hyphens, not ending in a hyphen',
    accepts: rfc1035(1, 49),
    source: 'Cloud Run Admin API v2 services.create serviceId ("fewer than 50 characters"); the provider checks nothing',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_cloud_run_v2_service',
    argument: 'template.revision',
    rule: 'the service name and a hyphen, then lowercase letters, digits or hyphens; at most 63 characters, not ending in a hyphen',
    accepts: (value, resource) => value.startsWith(`${resource.name}-`) && rfc1035(1, 63)(value),
    source: 'Cloud Run Admin API v2 RevisionTemplate.revision; terraform-provider-google #17218 ("must be prefixed by the name of the enclosing Service")',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_cloud_run_v2_service',
    argument: 'traffic.revision',
    rule: 'a revision of this service: its name and a hyphen, then lowercase letters, digits or hyphens; at most 63 characters',
    accepts: (value, resource) => value.startsWith(`${resource.name}-`) && rfc1035(1, 63)(value),
    source: 'Cloud Run Admin API v2 TrafficTarget.revision',
    checkedBy: 'API at apply',
    from: [FROM.previousRevision, FROM.environment],
  },
  {
    type: 'google_cloud_run_v2_service',
    argument: 'traffic.tag',
    rule: 'a DNS label of at least 3 characters; tag and service name together at most 46 characters',
    accepts: (value, resource) => rfc1035(3, 63)(value) && value.length + String(resource.name).length <= 46,
    source: 'Cloud Run API error "Combined traffic tag and service name cannot exceed 46 characters"; the provider checks nothing',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_service_account',
    argument: 'account_id',
    rule: RFC1035_RULE(6, 30),
    accepts: rfc1035(6, 30),
    source: 'google/services/resourcemanager/resource_google_service_account.go: ValidateRFC1035Name(6, 30)',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'google_service_account',
    argument: 'display_name',
    rule: 'at most 100 bytes',
    accepts: (value) => Buffer.byteLength(value) <= 100,
    source: 'IAM API ServiceAccount.displayName',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_secret_manager_secret',
    argument: 'secret_id',
    rule: '1-255 characters: letters, digits, hyphens or underscores',
    accepts: lengthAndPattern(1, 255, /^[A-Za-z0-9_-]+$/),
    source: 'Secret Manager API secrets.create secretId; the provider checks nothing',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_artifact_registry_repository',
    argument: 'repository_id',
    rule: RFC1035_RULE(1, 63),
    accepts: rfc1035(1, 63),
    source: 'Artifact Registry repository ids (lowercase letters, digits, hyphens; a letter first); the provider checks nothing',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_storage_bucket',
    argument: 'name',
    rule: '3-63 characters: lowercase letters, digits, hyphens, underscores or dots, a letter or digit at each end, no "goog" prefix, no "google"',
    accepts: (value: string) => /^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/.test(value) && !value.startsWith('goog') && !value.includes('google'),
    source: 'cloud.google.com/storage/docs/buckets#naming; the provider checks nothing (google/services/storage/resource_storage_bucket.go)',
    checkedBy: 'API at apply',
    from: [FROM.gcsBucket, FROM.environment],
  },
  {
    type: 'google_iam_workload_identity_pool',
    argument: 'workload_identity_pool_id',
    rule: '4-32 lowercase letters, digits or hyphens, not starting with "gcp-"',
    accepts: (value: string) => /^[a-z0-9-]{4,32}$/.test(value) && !value.startsWith('gcp-'),
    source: 'google/services/iambeta/resource_iam_workload_identity_pool.go ValidateWorkloadIdentityPoolId',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'google_iam_workload_identity_pool',
    argument: 'display_name',
    ...characters(0, 32),
    source: 'IAM API WorkloadIdentityPool.displayName ("cannot exceed 32 characters")',
    checkedBy: 'API at apply',
    from: [FROM.github],
  },
  {
    type: 'google_iam_workload_identity_pool_provider',
    argument: 'workload_identity_pool_provider_id',
    rule: '4-32 lowercase letters, digits or hyphens, not starting with "gcp-"',
    accepts: (value: string) => /^[a-z0-9-]{4,32}$/.test(value) && !value.startsWith('gcp-'),
    source: 'google/services/iambeta/resource_iam_workload_identity_pool_provider.go ValidateWorkloadIdentityPoolProviderId',
    checkedBy: 'provider at plan',
    from: [FROM.code],
  },
  // --- Google: the load balancer and its certificate ---------------------------------------
  gceName('google_compute_global_address'),
  gceName('google_compute_region_network_endpoint_group', 'provider at plan'),
  gceName('google_compute_backend_service'),
  gceName('google_compute_url_map'),
  gceName('google_compute_ssl_policy'),
  gceName('google_compute_target_http_proxy'),
  gceName('google_compute_target_https_proxy'),
  gceName('google_compute_global_forwarding_rule'),
  certificateManagerName('google_certificate_manager_dns_authorization'),
  certificateManagerName('google_certificate_manager_certificate'),
  certificateManagerName('google_certificate_manager_certificate_map'),
  certificateManagerName('google_certificate_manager_certificate_map_entry'),
  dnsName('google_certificate_manager_dns_authorization', 'domain', 'Certificate Manager DnsAuthorization.domain'),
  dnsName('google_certificate_manager_certificate', 'managed.domains', 'Certificate Manager ManagedCertificate.domains'),
  dnsName('google_certificate_manager_certificate_map_entry', 'hostname', 'Certificate Manager CertificateMapEntry.hostname'),
  // --- Google: monitoring ------------------------------------------------------------------
  {
    type: 'google_monitoring_alert_policy',
    argument: 'display_name',
    ...characters(0, 512),
    source: 'Cloud Monitoring API AlertPolicy.displayName',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'google_monitoring_notification_channel',
    argument: 'display_name',
    ...characters(0, 512),
    source: 'Cloud Monitoring API NotificationChannel.displayName',
    checkedBy: 'API at apply',
    from: [FROM.emails],
  },
  // --- AWS: Lambda, IAM, logs, secrets -----------------------------------------------------
  {
    type: 'aws_lambda_function',
    argument: 'function_name',
    rule: '1-64 characters: letters, digits, hyphens or underscores',
    accepts: lengthAndPattern(1, 64, /^[A-Za-z0-9_-]+$/),
    source: 'internal/service/lambda/validate.go validFunctionName (64 only from provider PR #43755; 5.100 lets 140 through to the API)',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  {
    type: 'aws_lambda_function',
    argument: 'environment.variables',
    rule: 'at most 4 KB of names and values together (a reference counts as 256 bytes)',
    accepts: (variables: Record<string, unknown>) => environmentSize(variables) <= 4096,
    source: 'docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html ("total size … doesn\'t exceed 4 KB"); the provider checks nothing',
    checkedBy: 'API at apply',
    from: [FROM.domainName, FROM.auth],
  },
  {
    type: 'aws_lambda_alias',
    argument: 'name',
    rule: '1-128 characters: letters, digits, hyphens or underscores, not only digits',
    accepts: (value) => lengthAndPattern(1, 128, /^[A-Za-z0-9_-]+$/)(value) && !/^\d+$/.test(value),
    source: 'Lambda API CreateAlias Name; the provider checks nothing (internal/service/lambda/alias.go)',
    checkedBy: 'API at apply',
    from: [FROM.code],
  },
  {
    type: 'aws_lambda_permission',
    argument: 'statement_id',
    rule: '1-100 characters: letters, digits, hyphens or underscores',
    accepts: lengthAndPattern(1, 100, /^[A-Za-z0-9_-]+$/),
    source: 'internal/service/lambda/validate.go validPolicyStatementID',
    checkedBy: 'provider at plan',
    from: [FROM.code],
  },
  {
    type: 'aws_iam_role',
    argument: 'name',
    rule: '1-64 characters: letters, digits or +=,.@_-',
    accepts: lengthAndPattern(1, 64, /^[\w+=,.@-]+$/),
    source: 'internal/service/iam/validate.go validResourceName(roleNameMaxLen = 64)',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_iam_role_policy',
    argument: 'name',
    rule: '1-128 characters: letters, digits or +=,.@_-',
    accepts: lengthAndPattern(1, 128, /^[\w+=,.@-]+$/),
    source: 'internal/service/iam/validate.go validRolePolicyName',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_iam_policy_document',
    argument: 'statement.sid',
    rule: 'letters and digits only',
    accepts: (value) => /^[A-Za-z0-9]*$/.test(value),
    source: 'IAM policy grammar ("Sid … alphanumeric"); provider check reverted in 5.84.0, so IAM refuses it at apply (issue #20767)',
    checkedBy: 'API at apply',
    from: [FROM.code],
  },
  {
    type: 'aws_cloudwatch_log_group',
    argument: 'name',
    rule: '1-512 characters: letters, digits or ._/#-',
    accepts: lengthAndPattern(1, 512, /^[.\-_/#A-Za-z0-9]+$/),
    source: 'internal/service/logs/validate.go validLogGroupName',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_secretsmanager_secret',
    argument: 'name',
    rule: '1-512 characters: letters, digits or /_+=.@-; not ending in a hyphen and six characters (the ARN adds those: a lookup by partial ARN could match another secret)',
    accepts: (value: string) => lengthAndPattern(1, 512, /^[0-9A-Za-z/_+=.@-]+$/)(value) && !/-.{6}$/.test(value),
    source: 'internal/service/secretsmanager/secret.go; Secrets Manager API CreateSecret Name ("Do not end your secret name with a hyphen followed by six characters")',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_s3_bucket',
    argument: 'bucket',
    rule: '3-63 lowercase letters, digits, dots or hyphens, a letter or digit at each end',
    accepts: (value: string) => /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..'),
    source: 'docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html; internal/service/s3/bucket.go checks only outside us-east-1',
    checkedBy: 'API at apply',
    from: [FROM.s3Bucket],
  },
  // --- AWS: alarms and their topics ----------------------------------------------------------
  {
    type: 'aws_sns_topic',
    argument: 'name',
    rule: '1-256 characters: letters, digits, hyphens or underscores',
    accepts: lengthAndPattern(1, 256, /^[A-Za-z0-9_-]+$/),
    source: 'internal/service/sns/topic.go (name validation); SNS API CreateTopic Name',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_cloudwatch_metric_alarm',
    argument: 'alarm_name',
    ...characters(1, 255),
    source: 'internal/service/cloudwatch/metric_alarm.go; CloudWatch API PutMetricAlarm AlarmName',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_cloudwatch_metric_alarm',
    argument: 'alarm_description',
    ...characters(0, 1024),
    source: 'internal/service/cloudwatch/metric_alarm.go; CloudWatch API PutMetricAlarm AlarmDescription',
    checkedBy: 'provider at plan',
    from: [FROM.domainName],
  },
  {
    type: 'aws_cloudwatch_dashboard',
    argument: 'dashboard_name',
    rule: '1-255 letters, digits, hyphens or underscores',
    accepts: lengthAndPattern(1, 255, /^[A-Za-z0-9_-]+$/),
    source: 'CloudWatch API PutDashboard DashboardName; the provider checks nothing (internal/service/cloudwatch/dashboard.go)',
    checkedBy: 'API at apply',
    from: [FROM.environment],
  },
  // --- AWS: the HTTP API, its domain and the failover name ------------------------------------
  {
    type: 'aws_apigatewayv2_api',
    argument: 'name',
    ...characters(1, 128),
    source: 'internal/service/apigatewayv2/api.go (StringLenBetween(1, 128))',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_acm_certificate',
    argument: 'domain_name',
    rule: 'at most 64 characters (it becomes the certificate\'s common name), no trailing dot',
    accepts: (value: string) => value.length <= 64 && !value.endsWith('.'),
    source: 'ACM API RequestCertificate DomainName (common name ≤ 64); internal/service/acm/certificate.go checks only the trailing dot',
    checkedBy: 'API at apply',
    from: [FROM.domainName],
  },
  dnsName('aws_apigatewayv2_domain_name', 'domain_name', 'internal/service/apigatewayv2/domain_name.go; API Gateway custom domain names'),
  {
    type: 'aws_route53_health_check',
    argument: 'reference_name',
    rule: 'at most 27 characters (Terraform appends a 37-character unique suffix to make the 64-character caller reference)',
    accepts: (value) => value.length <= 27,
    source: 'internal/service/route53/health_check.go: StringLenBetween(0, 64 - id.UniqueIDSuffixLength - 11)',
    checkedBy: 'provider at plan',
    from: [FROM.environment],
  },
  {
    type: 'aws_route53_health_check',
    argument: 'fqdn',
    ...characters(0, 255),
    source: 'internal/service/route53/health_check.go: StringLenBetween(0, 255)',
    checkedBy: 'provider at plan',
    from: [FROM.domainName],
  },
  {
    type: 'aws_route53_record',
    argument: 'set_identifier',
    ...characters(1, 128),
    source: 'Route 53 API ResourceRecordSet.SetIdentifier; the provider checks nothing (internal/service/route53/record.go)',
    checkedBy: 'API at apply',
    from: [FROM.code],
  },
];

/** Label and tag maps: every value must keep its cloud's rule (the environment name is one of them). */
const TAG_MAP_LIMITS: ReadonlyArray<{ readonly provider: 'google' | 'aws'; readonly attribute: string; readonly pattern: RegExp; readonly rule: string; readonly source: string }> = [
  {
    provider: 'google',
    attribute: 'labels',
    pattern: GCP_LABEL_VALUE,
    rule: 'label values: at most 63 lowercase letters, digits, hyphens or underscores',
    source: 'cloud.google.com/resource-manager/docs/labels-overview; the provider checks nothing',
  },
  { provider: 'google', attribute: 'user_labels', pattern: GCP_LABEL_VALUE, rule: 'label values: at most 63 lowercase letters, digits, hyphens or underscores', source: 'cloud.google.com/resource-manager/docs/labels-overview' },
  { provider: 'aws', attribute: 'tags', pattern: AWS_TAG_VALUE, rule: 'tag values: at most 256 letters, digits, spaces or _.:/=+-@', source: 'AWS tagging rules (docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html)' },
];

/** Resources whose `labels` map is configuration, not labels (a notification channel's `email_address`). */
const LABELS_ARE_CONFIG = new Set(['google_monitoring_notification_channel']);

/** Every value at a dotted path, through nested blocks and lists. */
function valuesAt(config: unknown, path: readonly string[]): unknown[] {
  if (Array.isArray(config)) return config.flatMap((item) => valuesAt(item, path));
  if (path.length === 0) return [config];
  if (config === null || typeof config !== 'object') return [];
  return valuesAt((config as Record<string, unknown>)[path[0]!], path.slice(1));
}

function message(resource: ResourceUnderReview, limit: Pick<ArgumentLimit, 'argument' | 'rule' | 'source' | 'from'>, value: string, detail = ''): string {
  return (
    `${resource.environment}: ${limit.from.join(' / ')}: ${resource.type}.${limit.argument} "${value}"${detail} breaks the provider's rule: ` +
    `${limit.rule} (${limit.source}) [${resource.path}]`
  );
}

/** Checks a resource's emitted values against {@link PROVIDER_LIMITS} and the label/tag rules. */
export const providerLimits: PolicyRule = (resource) => {
  const problems: string[] = [];
  for (const limit of PROVIDER_LIMITS) {
    if (limit.type !== resource.type) continue;
    for (const value of valuesAt(resource.config, limit.argument.split('.'))) {
      if (value === undefined || (typeof value === 'string' && isReference(value)) || limit.accepts(value, resource.config)) continue;
      problems.push(
        typeof value === 'string'
          ? message(resource, limit, value, ` (${value.length} characters)`)
          : message(resource, limit, Object.keys(value as object).join(', '), ` (${environmentSize(value as Record<string, unknown>)} bytes)`),
      );
    }
  }
  const provider = resource.type.startsWith('google_') ? 'google' : 'aws';
  for (const tagMap of TAG_MAP_LIMITS) {
    if (tagMap.provider !== provider || (tagMap.attribute === 'labels' && LABELS_ARE_CONFIG.has(resource.type))) continue;
    for (const [key, value] of Object.entries((resource.config[tagMap.attribute] ?? {}) as Record<string, unknown>)) {
      if (typeof value !== 'string' || isReference(value) || tagMap.pattern.test(value)) continue;
      problems.push(message(resource, { argument: `${tagMap.attribute}.${key}`, rule: tagMap.rule, source: tagMap.source, from: [FROM.environment] }, value));
    }
  }
  return problems;
};

/**
 * The resource types the stacks emit that take no value derived from config with a limit of its
 * own: why each needs no rule above. A type missing from both lists fails a test, so a new
 * resource cannot skip this review.
 */
export const TYPES_WITHOUT_DERIVED_LIMITS: Readonly<Record<string, string>> = {
  google_cloud_run_v2_service_iam_member: 'member comes from cloudRun.invokers, checked by the config schema against the provider\'s member pattern (tpgiamresource/resource_iam_member.go)',
  google_project_iam_member: 'roles are constants; the member is a reference to the service account',
  google_secret_manager_secret_iam_member: 'role is a constant; secret and member are references',
  aws_acm_certificate_validation: 'only references (certificate ARN, record FQDNs)',
  aws_apigatewayv2_api_mapping: 'only references (API, domain, stage)',
  aws_apigatewayv2_integration: 'constants (AWS_PROXY, payload 2.0, 30000 ms: the provider\'s IntBetween(50, 30000)) and a reference',
  aws_apigatewayv2_route: 'route keys are constants (`ANY /mcp`, `GET /health`)',
  aws_apigatewayv2_stage: '`$default` and throttling constants; the access log format is a constant',
  aws_sns_topic_subscription: 'endpoint comes from alerts.emails, checked by the config schema as an e-mail address',
  google_project_service: 'service names are constants (GOOGLE_APIS)',
  google_logging_project_bucket_config: 'bucket_id is `<service>-audit`, at most 29 characters (ENVIRONMENT_NAME caps the service name) against the API\'s 100; retention_days is one of the values audit.retentionDays accepts, all within the API\'s 1-3650',
  google_logging_project_sink: 'name is `<service>-audit` (at most 29 characters, the API allows 100); destination and filter are references and constants',
  google_logging_metric: 'name is `<service>-tool-calls` (at most 34 characters, the API allows 100); three constant labels (the API allows 10)',
  aws_cloudwatch_log_metric_filter: 'name is a constant; namespace is `MCPBridge/<env>` (at most 22 characters, CloudWatch allows 255); three dimensions, the most CloudWatch allows',
  google_monitoring_dashboard: 'the JSON holds the service name and regions, each checked above; its shape is checked against the Dashboard API by a test',
  google_service_account_iam_member: 'role is a constant; the principal names github.repository, checked by the config schema as owner/name',
  google_storage_bucket_iam_member: 'role is a constant; the bucket is one checked as google_storage_bucket.name',
  aws_s3_bucket_versioning: 'constants and a reference to the bucket',
  aws_s3_bucket_server_side_encryption_configuration: 'constants and a reference to the bucket',
  aws_s3_bucket_public_access_block: 'constants and a reference to the bucket',
  aws_s3_bucket_ownership_controls: 'constants and a reference to the bucket',
  aws_s3_bucket_lifecycle_configuration: 'constants (the rule id, 1-255 characters) and a reference to the bucket',
  aws_s3_bucket_policy: 'a reference to the bucket and to a policy document',
  aws_iam_openid_connect_provider: 'GitHub\'s issuer URL and audience are constants (the resource, and the data source that looks it up by URL)',
  aws_caller_identity: 'takes no arguments',
  terraform_remote_state: 'bucket names and regions come from state.*, checked by the config schema against the S3 and GCS bucket naming rules',
};
