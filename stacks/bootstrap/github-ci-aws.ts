import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { Construct } from 'constructs';
import { ACTIONS_WITHOUT_RESOURCE_LEVEL } from '../policy/rules.js';
import { GITHUB_OIDC_ISSUER, githubSubjects } from './github-ci.js';

/** Props of {@link GithubCiAws}. */
export interface GithubCiAwsProps {
  /** Prefix of every name the serving stacks use (`mcp-bridge-<env>`): the deploy role may touch only these. */
  readonly name: string;
  /** The environment, as the GitHub environment the deploy job runs in is named. */
  readonly environment: string;
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** The regions of the aws stacks, the home region (where the secrets live) first. */
  readonly regions: readonly string[];
  /** The Route 53 hosted zone the edge stack writes. */
  readonly hostedZoneId: string;
  /** The state bucket and the key prefix of this environment's states, when state is remote. */
  readonly state?: { readonly bucket: string; readonly prefix: string };
  /**
   * An existing GitHub OIDC provider (there can be one per account).
   * @default - this construct creates it
   */
  readonly existingOidcProviderArn?: string;
}

/**
 * Keyless CI on AWS: the account's OIDC provider for GitHub Actions, a plan role (read-only,
 * plus the state lock) any workflow run of the repository may assume, and a deploy role only its
 * jobs in the environment's GitHub environment may assume, allowed to manage exactly the
 * resources the serving stacks name (`mcp-bridge-<env>…`), nothing else.
 */
export class GithubCiAws extends Construct {
  /** AWS_PLAN_ROLE_ARN. */
  readonly planRole: IamRole;
  /** AWS_DEPLOY_ROLE_ARN. */
  readonly deployRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubCiAwsProps) {
    super(scope, id);
    const providerArn =
      props.existingOidcProviderArn ??
      new IamOpenidConnectProvider(this, 'oidc-provider', { url: GITHUB_OIDC_ISSUER, clientIdList: ['sts.amazonaws.com'] }).arn;
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const subjects = githubSubjects(props.repository, props.environment);
    const issuer = GITHUB_OIDC_ISSUER.replace('https://', '');

    const role = (kind: 'plan' | 'deploy', subject: string) =>
      new IamRole(this, `${kind}-role`, {
        name: `${props.name}-github-${kind}`,
        assumeRolePolicy: new DataAwsIamPolicyDocument(this, `${kind}-trust`, {
          statement: [
            {
              actions: ['sts:AssumeRoleWithWebIdentity'],
              principals: [{ type: 'Federated', identifiers: [providerArn] }],
              condition: [
                { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
                { test: 'StringLike', variable: `${issuer}:sub`, values: [subject] },
              ],
            },
          ],
        }).json,
      });
    const statePermissions: DataAwsIamPolicyDocumentStatement[] =
      props.state === undefined
        ? []
        : [
            { sid: 'StateList', actions: ['s3:ListBucket'], resources: [`arn:aws:s3:::${props.state.bucket}`] },
            {
              sid: 'StateReadWriteLock',
              actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
              resources: [`arn:aws:s3:::${props.state.bucket}/${props.state.prefix}/*`],
            },
          ];

    this.planRole = role('plan', subjects.plan);
    new IamRolePolicyAttachment(this, 'plan-read-only', { role: this.planRole.name, policyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' });
    if (statePermissions.length > 0) {
      new IamRolePolicy(this, 'plan-state', {
        name: 'terraform-state',
        role: this.planRole.id,
        policy: new DataAwsIamPolicyDocument(this, 'plan-state-document', { statement: statePermissions }).json,
      });
    }

    this.deployRole = role('deploy', subjects.deploy);
    const { name, regions } = props;
    const home = regions[0]!;
    /** An ARN in every region of the aws stacks (and us-east-1 when asked: the edge's alarms live there). */
    const arns = (service: string, resource: string, alsoUsEast1 = false) =>
      [...new Set([...regions, ...(alsoUsEast1 ? ['us-east-1'] : [])])].map((region) => `arn:aws:${service}:${region}:${account}:${resource}`);
    // The functions' roles: the home region's is named after the service, the others' after their region too.
    const roles = regions.map((region) => `arn:aws:iam::${account}:role/${region === home ? name : `${name}-${region}`}`);
    new IamRolePolicy(this, 'deploy-permissions', {
      name: 'deploy-serving-stacks',
      role: this.deployRole.id,
      policy: new DataAwsIamPolicyDocument(this, 'deploy-document', {
        statement: [
          ...statePermissions,
          {
            sid: 'Lambda',
            actions: DEPLOY_ACTIONS.lambda,
            resources: [...arns('lambda', `function:${name}`), ...arns('lambda', `function:${name}:*`)],
          },
          { sid: 'Iam', actions: DEPLOY_ACTIONS.iam, resources: roles },
          {
            sid: 'Logs',
            actions: DEPLOY_ACTIONS.logs,
            resources: [...arns('logs', `log-group:/aws/lambda/${name}*`), ...arns('logs', `log-group:/aws/apigateway/${name}*`)],
          },
          {
            sid: 'ApiGateway',
            actions: DEPLOY_ACTIONS.apigateway,
            resources: regions.flatMap((region) => ['/apis', '/apis/*', '/domainnames', '/domainnames/*', '/tags/*'].map((path) => `arn:aws:apigateway:${region}::${path}`)),
          },
          { sid: 'Certificates', actions: DEPLOY_ACTIONS.acm, resources: arns('acm', 'certificate/*') },
          { sid: 'Records', actions: DEPLOY_ACTIONS.route53Zone, resources: [`arn:aws:route53:::hostedzone/${props.hostedZoneId}`, 'arn:aws:route53:::change/*'] },
          { sid: 'HealthChecks', actions: DEPLOY_ACTIONS.route53HealthCheck, resources: ['arn:aws:route53:::healthcheck/*'] },
          {
            sid: 'AlarmTopics',
            actions: DEPLOY_ACTIONS.sns,
            resources: arns('sns', `${name}-*`, true),
          },
          { sid: 'Alarms', actions: DEPLOY_ACTIONS.cloudwatch, resources: arns('cloudwatch', `alarm:${name}-*`, true) },
          { sid: 'Secrets', actions: DEPLOY_ACTIONS.secretsmanager, resources: [`arn:aws:secretsmanager:${home}:${account}:secret:${name}/*`] },
          // These actions have no resource type in the Service Authorization Reference: IAM accepts only "*".
          { sid: 'NoResourceLevel', actions: [...ACTIONS_WITHOUT_RESOURCE_LEVEL], resources: ['*'] },
        ],
      }).json,
    });
  }
}


/** What the deploy role may do, by service: what applying the aws and edge stacks calls. */
const DEPLOY_ACTIONS: Record<'lambda' | 'iam' | 'logs' | 'apigateway' | 'acm' | 'route53Zone' | 'route53HealthCheck' | 'sns' | 'cloudwatch' | 'secretsmanager', string[]> = {
  lambda: [
    'lambda:CreateFunction', 'lambda:GetFunction', 'lambda:GetFunctionConfiguration', 'lambda:UpdateFunctionCode',
    'lambda:UpdateFunctionConfiguration', 'lambda:DeleteFunction', 'lambda:PublishVersion', 'lambda:ListVersionsByFunction',
    'lambda:CreateAlias', 'lambda:GetAlias', 'lambda:UpdateAlias', 'lambda:DeleteAlias', 'lambda:AddPermission',
    'lambda:RemovePermission', 'lambda:GetPolicy', 'lambda:PutFunctionConcurrency', 'lambda:DeleteFunctionConcurrency',
    'lambda:GetFunctionConcurrency', 'lambda:GetFunctionCodeSigningConfig', 'lambda:TagResource', 'lambda:UntagResource', 'lambda:ListTags',
  ],
  iam: [
    'iam:CreateRole', 'iam:GetRole', 'iam:DeleteRole', 'iam:UpdateAssumeRolePolicy', 'iam:PutRolePolicy', 'iam:GetRolePolicy',
    'iam:DeleteRolePolicy', 'iam:ListRolePolicies', 'iam:ListAttachedRolePolicies', 'iam:ListInstanceProfilesForRole',
    'iam:TagRole', 'iam:UntagRole', 'iam:PassRole',
  ],
  logs: ['logs:CreateLogGroup', 'logs:DeleteLogGroup', 'logs:PutRetentionPolicy', 'logs:DeleteRetentionPolicy', 'logs:TagResource', 'logs:UntagResource', 'logs:ListTagsForResource'],
  apigateway: ['apigateway:GET', 'apigateway:POST', 'apigateway:PUT', 'apigateway:PATCH', 'apigateway:DELETE'],
  acm: ['acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:ListTagsForCertificate', 'acm:AddTagsToCertificate', 'acm:RemoveTagsFromCertificate'],
  route53Zone: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', 'route53:GetHostedZone', 'route53:GetChange'],
  route53HealthCheck: ['route53:GetHealthCheck', 'route53:UpdateHealthCheck', 'route53:DeleteHealthCheck', 'route53:ChangeTagsForResource', 'route53:ListTagsForResource', 'route53:GetHealthCheckStatus'],
  sns: [
    'sns:CreateTopic', 'sns:DeleteTopic', 'sns:GetTopicAttributes', 'sns:SetTopicAttributes', 'sns:Subscribe', 'sns:Unsubscribe',
    'sns:GetSubscriptionAttributes', 'sns:ListSubscriptionsByTopic', 'sns:TagResource', 'sns:UntagResource', 'sns:ListTagsForResource',
  ],
  cloudwatch: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms', 'cloudwatch:DescribeAlarms', 'cloudwatch:TagResource', 'cloudwatch:UntagResource', 'cloudwatch:ListTagsForResource'],
  secretsmanager: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue', 'secretsmanager:GetResourcePolicy', 'secretsmanager:ListSecretVersionIds'],
};
