import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { BRIDGE_SECRETS, formerAwsSecretNames } from '../bridge-environment.js';

/**
 * The kinds of resource the CI roles' actions apply to, each a set of ARNs the stacks' own names
 * can match ({@link awsScopeArns}). `any` is `*`: the actions IAM cannot scope to a resource.
 */
export type AwsScope =
  | 'function'
  | 'function-role'
  | 'ci-role'
  | 'oidc-provider'
  | 'log-group'
  | 'api'
  | 'certificate'
  | 'hosted-zone'
  | 'change'
  | 'health-check'
  | 'topic'
  | 'alarm'
  | 'dashboard'
  | 'secret'
  | 'former-secret'
  | 'image-repository'
  | 'state-bucket'
  | 'state-objects'
  | 'any';

/** The actions of one resource type on one kind of resource: what a plan's refresh calls, and what an apply calls besides. */
export interface AwsActionGroup {
  readonly scope: AwsScope;
  /** Called by a plan (the refresh) and by every apply. */
  readonly read: readonly string[];
  /**
   * Called by create, update and delete.
   * @default - none
   */
  readonly write?: readonly string[];
}

const lambdaFunction: AwsActionGroup[] = [
  {
    scope: 'function',
    read: ['lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:ListVersionsByFunction', 'lambda:GetFunctionCodeSigningConfig', 'lambda:GetFunctionConcurrency', 'lambda:ListTags'],
    write: ['lambda:CreateFunction', 'lambda:UpdateFunctionCode', 'lambda:UpdateFunctionConfiguration', 'lambda:DeleteFunction', 'lambda:PublishVersion', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency', 'lambda:TagResource', 'lambda:UntagResource'],
  },
  // CreateFunction and UpdateFunctionConfiguration hand the function its role.
  { scope: 'function-role', read: [], write: ['iam:PassRole'] },
  // An image function: Lambda reads the image with its caller's rights when the code changes (docs: "Amazon ECR permissions").
  { scope: 'image-repository', read: [], write: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] },
];

const apiGateway: AwsActionGroup[] = [{ scope: 'api', read: ['apigateway:GET'], write: ['apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'] }];

const role = (scope: 'function-role' | 'ci-role'): AwsActionGroup => ({
  scope,
  read: ['iam:GetRole', 'iam:ListRolePolicies', 'iam:GetRolePolicy', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole'],
  write: scope === 'function-role' ? ['iam:CreateRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:UpdateRole', 'iam:UpdateRoleDescription', 'iam:TagRole', 'iam:UntagRole'] : [],
});
const rolePolicy = (scope: 'function-role' | 'ci-role'): AwsActionGroup => ({ scope, read: ['iam:GetRolePolicy'], write: scope === 'function-role' ? ['iam:PutRolePolicy', 'iam:DeleteRolePolicy'] : [] });

/**
 * What the AWS provider (6.x, internal/service/<service>/) calls for each resource and data source
 * type the stacks emit, by the kind of resource each call is on. The serving stacks' types are
 * applied by the deploy role (read and write); the bootstrap stacks' types are applied by a person
 * and only planned in CI (read). A type the stacks emit that is missing here fails the
 * derived-permissions test; its actions are then granted from this table alone.
 */
export const AWS_ACTIONS_OF_RESOURCE: Readonly<Record<string, { readonly serving: readonly AwsActionGroup[]; readonly bootstrap?: readonly AwsActionGroup[] }>> = {
  aws_lambda_function: { serving: lambdaFunction },
  aws_lambda_alias: { serving: [{ scope: 'function', read: ['lambda:GetAlias'], write: ['lambda:CreateAlias', 'lambda:UpdateAlias', 'lambda:DeleteAlias'] }] },
  aws_lambda_permission: { serving: [{ scope: 'function', read: ['lambda:GetPolicy'], write: ['lambda:AddPermission', 'lambda:RemovePermission'] }] },
  aws_iam_role: { serving: [role('function-role')], bootstrap: [role('ci-role')] },
  aws_iam_role_policy: { serving: [rolePolicy('function-role')], bootstrap: [rolePolicy('ci-role')] },
  aws_iam_openid_connect_provider: { serving: [], bootstrap: [{ scope: 'oidc-provider', read: ['iam:GetOpenIDConnectProvider'] }] },
  // Looked up by URL: the provider lists the account's providers, then reads each.
  'data.aws_iam_openid_connect_provider': { serving: [], bootstrap: [{ scope: 'oidc-provider', read: ['iam:GetOpenIDConnectProvider'] }, { scope: 'any', read: ['iam:ListOpenIDConnectProviders'] }] },
  aws_cloudwatch_log_group: {
    serving: [
      { scope: 'log-group', read: ['logs:ListTagsForResource'], write: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource'] },
      { scope: 'any', read: ['logs:DescribeLogGroups'] },
    ],
  },
  // internal/service/logs/metric_filter.go: PutMetricFilter (create, update), DescribeMetricFilters (read), DeleteMetricFilter.
  aws_cloudwatch_log_metric_filter: { serving: [{ scope: 'log-group', read: ['logs:DescribeMetricFilters'], write: ['logs:PutMetricFilter', 'logs:DeleteMetricFilter'] }] },
  aws_apigatewayv2_api: { serving: apiGateway },
  aws_apigatewayv2_api_mapping: { serving: apiGateway },
  aws_apigatewayv2_domain_name: { serving: apiGateway },
  aws_apigatewayv2_integration: { serving: apiGateway },
  aws_apigatewayv2_route: { serving: apiGateway },
  aws_apigatewayv2_stage: {
    serving: [
      ...apiGateway,
      // Access logging: API Gateway sets up a log delivery into the group (docs: "Configure logging for HTTP APIs").
      { scope: 'any', read: ['logs:GetLogDelivery', 'logs:ListLogDeliveries', 'logs:DescribeResourcePolicies', 'logs:DescribeLogGroups'], write: ['logs:CreateLogDelivery', 'logs:UpdateLogDelivery', 'logs:DeleteLogDelivery', 'logs:PutResourcePolicy'] },
    ],
  },
  aws_acm_certificate: {
    serving: [
      { scope: 'certificate', read: ['acm:DescribeCertificate', 'acm:ListTagsForCertificate'], write: ['acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate', 'acm:UpdateCertificateOptions'] },
      { scope: 'any', read: [], write: ['acm:RequestCertificate'] },
    ],
  },
  aws_acm_certificate_validation: { serving: [{ scope: 'certificate', read: ['acm:DescribeCertificate'] }] },
  aws_route53_record: {
    serving: [
      { scope: 'hosted-zone', read: ['route53:GetHostedZone', 'route53:ListResourceRecordSets'], write: ['route53:ChangeResourceRecordSets'] },
      { scope: 'change', read: ['route53:GetChange'] },
    ],
  },
  aws_route53_health_check: {
    serving: [
      { scope: 'health-check', read: ['route53:GetHealthCheck', 'route53:ListTagsForResource'], write: ['route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'route53:ChangeTagsForResource'] },
      { scope: 'any', read: [], write: ['route53:CreateHealthCheck'] },
    ],
  },
  aws_sns_topic: { serving: [{ scope: 'topic', read: ['sns:GetTopicAttributes', 'sns:ListTagsForResource'], write: ['sns:CreateTopic', 'sns:SetTopicAttributes', 'sns:DeleteTopic', 'sns:TagResource', 'sns:UntagResource'] }] },
  // Subscribe is on the topic; the other three on the subscription, arn:…:<topic>:<id>, which the topic scope's `<topic>*` matches.
  aws_sns_topic_subscription: { serving: [{ scope: 'topic', read: ['sns:GetSubscriptionAttributes'], write: ['sns:Subscribe', 'sns:Unsubscribe', 'sns:SetSubscriptionAttributes'] }] },
  aws_cloudwatch_metric_alarm: { serving: [{ scope: 'alarm', read: ['cloudwatch:DescribeAlarms', 'cloudwatch:ListTagsForResource'], write: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource'] }] },
  aws_cloudwatch_dashboard: { serving: [{ scope: 'dashboard', read: ['cloudwatch:GetDashboard'], write: ['cloudwatch:PutDashboard', 'cloudwatch:DeleteDashboards'] }] },
  // internal/service/ecr/repository_data_source.go: the repository, its tags, and its images (for most_recent_image_tags).
  'data.aws_ecr_repository': { serving: [{ scope: 'image-repository', read: ['ecr:DescribeRepositories', 'ecr:DescribeImages', 'ecr:ListTagsForResource'] }] },
  aws_ecr_repository: { serving: [], bootstrap: [{ scope: 'image-repository', read: ['ecr:DescribeRepositories', 'ecr:ListTagsForResource'] }] },
  aws_ecr_repository_policy: { serving: [], bootstrap: [{ scope: 'image-repository', read: ['ecr:GetRepositoryPolicy'] }] },
  'data.aws_secretsmanager_secret': { serving: [{ scope: 'secret', read: ['secretsmanager:DescribeSecret'] }] },
  aws_secretsmanager_secret: { serving: [], bootstrap: [{ scope: 'secret', read: ['secretsmanager:DescribeSecret', 'secretsmanager:GetResourcePolicy'] }] },
  aws_s3_bucket: {
    serving: [],
    bootstrap: [
      {
        scope: 'state-bucket',
        read: [
          's3:ListBucket', 's3:GetBucketLocation', 's3:GetBucketPolicy', 's3:GetBucketAcl', 's3:GetBucketCORS', 's3:GetBucketWebsite', 's3:GetBucketVersioning',
          's3:GetAccelerateConfiguration', 's3:GetBucketRequestPayment', 's3:GetBucketLogging', 's3:GetLifecycleConfiguration', 's3:GetReplicationConfiguration',
          's3:GetEncryptionConfiguration', 's3:GetBucketObjectLockConfiguration', 's3:GetBucketTagging',
        ],
      },
    ],
  },
  aws_s3_bucket_versioning: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetBucketVersioning'] }] },
  aws_s3_bucket_server_side_encryption_configuration: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetEncryptionConfiguration'] }] },
  aws_s3_bucket_public_access_block: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetBucketPublicAccessBlock'] }] },
  aws_s3_bucket_ownership_controls: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetBucketOwnershipControls'] }] },
  aws_s3_bucket_lifecycle_configuration: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetLifecycleConfiguration'] }] },
  aws_s3_bucket_policy: { serving: [], bootstrap: [{ scope: 'state-bucket', read: ['s3:GetBucketPolicy'] }] },
  // Another stack's outputs, read from its state object (the edge stack's cross-stack references).
  'data.terraform_remote_state': { serving: [{ scope: 'state-objects', read: ['s3:GetObject'] }, { scope: 'state-bucket', read: ['s3:ListBucket'] }] },
  // Computed by the provider, or sts:GetCallerIdentity, which needs no permission.
  'data.aws_iam_policy_document': { serving: [] },
  'data.aws_caller_identity': { serving: [] },
  'data.aws_partition': { serving: [] },
};

/** What the Terraform S3 backend calls: the state object, its lock file beside it, and the listing of the bucket. */
const STATE_BACKEND: readonly AwsActionGroup[] = [
  { scope: 'state-bucket', read: ['s3:ListBucket'] },
  { scope: 'state-objects', read: ['s3:GetObject'], write: ['s3:PutObject', 's3:DeleteObject'] },
];

/**
 * What `npm run deploy` itself calls besides Terraform: the first token's digest (ops/tokens), the
 * former token secret's retirement (its status, its scheduled deletion: that secret alone), the
 * release image's push to ECR (docs: "Amazon ECR: pushing an image", with DescribeImages to read its
 * digest back; the registry's login token has no resource level), the wait for the health checks.
 */
const DEPLOY_COMMAND: readonly AwsActionGroup[] = [
  {
    scope: 'image-repository',
    read: ['ecr:BatchCheckLayerAvailability', 'ecr:DescribeImages'],
    write: ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchGetImage'],
  },
  { scope: 'any', read: ['ecr:GetAuthorizationToken'] },
  { scope: 'secret', read: ['secretsmanager:GetSecretValue', 'secretsmanager:ListSecretVersionIds'], write: ['secretsmanager:PutSecretValue'] },
  { scope: 'former-secret', read: ['secretsmanager:DescribeSecret'], write: ['secretsmanager:DeleteSecret'] },
  { scope: 'health-check', read: ['route53:GetHealthCheckStatus'] },
];

/**
 * Actions IAM cannot scope to a resource (the Service Authorization Reference lists no resource
 * type for them: requesting a certificate, creating a health check, API Gateway's log deliveries):
 * the table's `any` scope. The policy rules allow these, and only these, on `Resource: "*"`.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL: readonly string[] = [
  ...new Set(
    [...Object.values(AWS_ACTIONS_OF_RESOURCE).flatMap((entry) => [...entry.serving, ...(entry.bootstrap ?? [])]), ...DEPLOY_COMMAND]
      .filter((group) => group.scope === 'any')
      .flatMap((group) => [...group.read, ...(group.write ?? [])]),
  ),
];

/** What the ARNs of each scope are made of: the names the stacks give their resources. */
export interface AwsScopeContext {
  /** `mcp-bridge-<env>`: every serving resource's name starts with it. */
  readonly name: string;
  /** The AWS stacks' regions, the home region first. */
  readonly regions: readonly string[];
  /** The account, as a Terraform reference or literal. */
  readonly account: string;
  readonly hostedZoneId: string;
  /** The state bucket and this environment's key prefix, when state is remote. */
  readonly state?: { readonly bucket: string; readonly prefix: string };
}

/** The ARNs a scope's actions are granted on: names the stacks' resources can match, and nothing wider. */
export function awsScopeArns(scope: AwsScope, context: AwsScopeContext): string[] {
  const { name, regions, account } = context;
  const home = regions[0]!;
  // Alarms and their topic of the edge stack live in us-east-1 (Route 53's metrics are there).
  const alarmRegions = [...new Set([...regions, 'us-east-1'])];
  const inRegions = (service: string, resource: string, where: readonly string[] = regions) => where.map((region) => `arn:aws:${service}:${region}:${account}:${resource}`);
  switch (scope) {
    case 'function':
      // The zip's function, and the image's (`-image`, see lambdaFunctionName): a switch between them needs both.
      return [`function:${name}`, `function:${name}:*`, `function:${name}-image`, `function:${name}-image:*`].flatMap((resource) => inRegions('lambda', resource));
    case 'function-role':
      // The functions' roles: the home region's is named after the service, the others' after their region too.
      return regions.map((region) => `arn:aws:iam::${account}:role/${region === home ? name : `${name}-${region}`}`);
    case 'ci-role':
      return [`arn:aws:iam::${account}:role/${name}-github-*`];
    case 'oidc-provider':
      return [`arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`];
    case 'log-group':
      return [...inRegions('logs', `log-group:/aws/lambda/${name}*`), ...inRegions('logs', `log-group:/aws/apigateway/${name}*`)];
    case 'api':
      return regions.flatMap((region) => ['/apis', '/apis/*', '/domainnames', '/domainnames/*', '/tags/*'].map((path) => `arn:aws:apigateway:${region}::${path}`));
    case 'certificate':
      return inRegions('acm', 'certificate/*');
    case 'hosted-zone':
      return [`arn:aws:route53:::hostedzone/${context.hostedZoneId}`];
    case 'change':
      return ['arn:aws:route53:::change/*'];
    case 'health-check':
      return ['arn:aws:route53:::healthcheck/*'];
    case 'topic':
      return inRegions('sns', `${name}-*`, alarmRegions);
    case 'alarm':
      return inRegions('cloudwatch', `alarm:${name}-*`, alarmRegions);
    case 'dashboard':
      return [`arn:aws:cloudwatch::${account}:dashboard/${name}*`];
    case 'secret':
      return [`arn:aws:secretsmanager:${home}:${account}:secret:${name}/*`];
    case 'former-secret':
      // The six characters Secrets Manager appends to a secret's ARN, exactly: no other secret matches.
      return BRIDGE_SECRETS.flatMap((secret) => formerAwsSecretNames(name, secret)).map((former) => `arn:aws:secretsmanager:${home}:${account}:secret:${former}-??????`);
    case 'image-repository':
      return inRegions('ecr', `repository/${name}`);
    case 'state-bucket':
      return context.state === undefined ? [] : [`arn:aws:s3:::${context.state.bucket}`];
    case 'state-objects':
      return context.state === undefined ? [] : [`arn:aws:s3:::${context.state.bucket}/${context.state.prefix}/*`];
    case 'any':
      return ['*'];
  }
}

/** Which CI role a policy is for: `plan` reads what every stack holds; `deploy` applies the serving stacks. */
export type CiRoleKind = 'plan' | 'deploy';

/**
 * The statements of a CI role, derived from {@link AWS_ACTIONS_OF_RESOURCE}: one per scope, its
 * actions on that scope's ARNs. The plan role gets the read actions of every type (and the
 * state's lock file); the deploy role the read and write actions of the serving stacks' types,
 * the state backend's and the deploy command's own.
 */
export function ciRoleStatements(kind: CiRoleKind, context: AwsScopeContext): DataAwsIamPolicyDocumentStatement[] {
  const groups: AwsActionGroup[] =
    kind === 'plan'
      ? [...Object.values(AWS_ACTIONS_OF_RESOURCE).flatMap((entry) => [...entry.serving, ...(entry.bootstrap ?? [])]).map((group) => ({ scope: group.scope, read: group.read })), ...STATE_BACKEND]
      : [...Object.values(AWS_ACTIONS_OF_RESOURCE).flatMap((entry) => entry.serving), ...STATE_BACKEND, ...DEPLOY_COMMAND];
  const byScope = new Map<AwsScope, Set<string>>();
  for (const group of groups) {
    const actions = byScope.get(group.scope) ?? new Set<string>();
    for (const action of [...group.read, ...(group.write ?? [])]) actions.add(action);
    byScope.set(group.scope, actions);
  }
  return [...byScope.entries()]
    .map(([scope, actions]) => ({ scope, actions: [...actions].sort(), resources: awsScopeArns(scope, context) }))
    .filter(({ actions, resources }) => actions.length > 0 && resources.length > 0)
    .map(({ scope, actions, resources }) => ({ sid: scope.replace(/(^|-)(\w)/g, (_match, _dash, letter: string) => letter.toUpperCase()), actions, resources }));
}
