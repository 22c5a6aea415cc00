import { ACTIONS_WITHOUT_RESOURCE_LEVEL } from '../bootstrap/aws-ci-permissions.js';
import { providerLimits } from './provider-limits.js';

/** A resource as the policy rules see it: its Terraform type and resolved configuration. */
export interface ResourceUnderReview {
  readonly type: string;
  /** The construct path, for messages. */
  readonly path: string;
  /** The resource's configuration as it will be emitted (snake_case keys, tokens as `${…}`). */
  readonly config: Record<string, any>;
  /** The environment the resource belongs to. */
  readonly environment: string;
  /** Whether that environment is in the production tier (stricter rules). */
  readonly production: boolean;
  /**
   * Whether the environment's config keeps deletion protection on (production turns it off only
   * as the reviewed step before `npm run destroy`).
   */
  readonly deletionProtection: boolean;
}

/** One policy: returns a message per violation, naming what is wrong and how to fix it. */
export type PolicyRule = (resource: ResourceUnderReview) => string[];

const isReference = (value: unknown) => typeof value === 'string' && value.includes('${');

/** Actions that only read: `service:Get…`, `List…`, `Describe…`. */
const READ_ONLY_ACTION = /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query|Scan|Search|View)[A-Za-z]*$/i;

/** Statements of an IAM policy document data source or an inline JSON policy. */
function iamStatements(resource: ResourceUnderReview): Array<{ actions: string[]; resources: string[] }> {
  const toArray = (value: unknown): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [String(value)]);
  if (resource.type === 'aws_iam_policy_document') {
    return toArray(resource.config.statement).map((statement: any) => ({
      actions: toArray(statement.actions),
      resources: toArray(statement.resources),
    }));
  }
  const policy = resource.config.policy;
  if (typeof policy !== 'string' || isReference(policy)) return [];
  try {
    const document = JSON.parse(policy) as { Statement?: unknown };
    return toArray(document.Statement as never).map((statement: any) => ({
      actions: toArray(statement.Action),
      resources: toArray(statement.Resource),
    }));
  } catch {
    return [];
  }
}

/** IAM actions must be named: no `*` and no `service:*`. */
export const noWildcardActions: PolicyRule = (resource) =>
  iamStatements(resource).flatMap(({ actions }) =>
    actions
      .filter((action) => action.includes('*'))
      .map((action) => `${resource.path}: IAM action "${action}" is a wildcard; name the actions the workload needs`),
  );

/** `Resource: "*"` is allowed for read-only actions, and for writes IAM cannot scope, only. */
export const noWritesOnEverything: PolicyRule = (resource) =>
  iamStatements(resource).flatMap(({ actions, resources }) =>
    resources.includes('*')
      ? actions
          .filter((action) => !READ_ONLY_ACTION.test(action) && !ACTIONS_WITHOUT_RESOURCE_LEVEL.includes(action))
          .map((action) => `${resource.path}: IAM action "${action}" on Resource "*"; scope it to the resources it writes`)
      : [],
  );

const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|API_KEY|CREDENTIAL)/i;

/** Secret-looking environment variables must come from a secret store, not a literal. */
export const noPlainSecrets: PolicyRule = (resource) => {
  if (resource.type === 'aws_lambda_function') {
    const variables: Record<string, unknown> = resource.config.environment?.variables ?? {};
    return Object.entries(variables)
      .filter(([name, value]) => SECRET_NAME.test(name) && !isReference(value))
      .map(([name]) => `${resource.path}: environment variable ${name} holds a plain value; keep it in Secrets Manager and pass its ARN`);
  }
  if (resource.type === 'google_cloud_run_v2_service') {
    const containers: any[] = resource.config.template?.containers ?? [];
    return containers.flatMap((container) =>
      (container.env ?? [])
        .filter((entry: any) => SECRET_NAME.test(entry.name) && entry.value !== undefined)
        .map((entry: any) => `${resource.path}: environment variable ${entry.name} holds a plain value; use value_source.secret_key_ref`),
    );
  }
  return [];
};

/** Every log group keeps logs for a bounded time. */
export const logRetention: PolicyRule = (resource) =>
  resource.type === 'aws_cloudwatch_log_group' && !(Number(resource.config.retention_in_days) > 0)
    ? [`${resource.path}: log group without retention_in_days; logs would be kept (and billed) forever`]
    : [];

/**
 * Production services cannot be destroyed by accident: each one is protected unless the config
 * turned deletion protection off on purpose (to tear the environment down).
 */
export const productionDeletionProtection: PolicyRule = (resource) =>
  resource.production &&
  resource.deletionProtection &&
  resource.type === 'google_cloud_run_v2_service' &&
  resource.config.deletion_protection !== true
    ? [`${resource.path}: production Cloud Run service without deletion_protection`]
    : [];

/** TLS 1.2 or later wherever clients connect. */
export const modernTls: PolicyRule = (resource) => {
  switch (resource.type) {
    case 'google_compute_ssl_policy':
      return ['TLS_1_2', 'TLS_1_3'].includes(resource.config.min_tls_version)
        ? []
        : [`${resource.path}: min_tls_version ${resource.config.min_tls_version ?? '(default TLS_1_0)'} is below TLS 1.2`];
    case 'google_compute_target_https_proxy':
      return resource.config.ssl_policy === undefined
        ? [`${resource.path}: HTTPS proxy without an SSL policy accepts TLS 1.0; set ssl_policy`]
        : [];
    case 'aws_apigatewayv2_domain_name':
    case 'aws_api_gateway_domain_name': {
      const policy = resource.config.domain_name_configuration?.security_policy ?? resource.config.security_policy;
      return policy === 'TLS_1_2' || String(policy).startsWith('SecurityPolicy_TLS13')
        ? []
        : [`${resource.path}: security_policy ${policy ?? '(default)'} is below TLS 1.2`];
    }
    default:
      return [];
  }
};

/** Every rule, in the order their messages are listed. */
export const POLICY_RULES: readonly PolicyRule[] = [
  providerLimits,
  noWildcardActions,
  noWritesOnEverything,
  noPlainSecrets,
  logRetention,
  productionDeletionProtection,
  modernTls,
];
