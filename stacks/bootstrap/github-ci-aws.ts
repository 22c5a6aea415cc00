import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { DataAwsIamOpenidConnectProvider } from '@cdktf/provider-aws/lib/data-aws-iam-openid-connect-provider/index.js';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { Construct } from 'constructs';
import { ciRoleStatements, type CiRoleKind } from './aws-ci-permissions.js';
import { GITHUB_OIDC_ISSUER, githubSubjects } from './github-ci.js';

/** Props of {@link GithubCiAws}. */
export interface GithubCiAwsProps {
  /** Prefix of every name the serving stacks use (`mcp-bridge-<env>`): the deploy role may touch only these. */
  readonly name: string;
  /** The environment, as the GitHub environment the deploy job runs in is named. */
  readonly environment: string;
  /** The branch pull requests merge into: its pushes may plan too. */
  readonly defaultBranch: string;
  /** `owner/name` of the repository whose workflows may assume the roles. */
  readonly repository: string;
  /** The regions of the aws stacks, the home region (where the secrets live) first. */
  readonly regions: readonly string[];
  /** The Route 53 hosted zone the edge stack writes. */
  readonly hostedZoneId: string;
  /** The state bucket and the key prefix of this environment's states, when state is remote. */
  readonly state?: { readonly bucket: string; readonly prefix: string };
  /**
   * The account's GitHub OIDC provider (IAM allows one per URL per account): `create` it here,
   * `look up` the one another environment's bootstrap created in the same account, or its ARN.
   */
  readonly oidcProvider: 'create' | 'look up' | { readonly arn: string };
}

/**
 * Keyless CI on AWS: the account's OIDC provider for GitHub Actions, a plan role that the
 * repository's pull requests and default branch may assume, reading what the stacks hold (and the
 * state lock), and a deploy role only its jobs in the environment's GitHub environment may assume,
 * allowed to manage exactly the resources the serving stacks name (`mcp-bridge-<env>…`). Both
 * policies are derived from the resource types the stacks emit (aws-ci-permissions.ts).
 */
export class GithubCiAws extends Construct {
  /** AWS_PLAN_ROLE_ARN. */
  readonly planRole: IamRole;
  /** AWS_DEPLOY_ROLE_ARN. */
  readonly deployRole: IamRole;

  constructor(scope: Construct, id: string, props: GithubCiAwsProps) {
    super(scope, id);
    const providerArn =
      props.oidcProvider === 'create'
        ? new IamOpenidConnectProvider(this, 'oidc-provider', { url: GITHUB_OIDC_ISSUER, clientIdList: ['sts.amazonaws.com'] }).arn
        : props.oidcProvider === 'look up'
          ? new DataAwsIamOpenidConnectProvider(this, 'oidc-provider', { url: GITHUB_OIDC_ISSUER }).arn
          : props.oidcProvider.arn;
    const account = new DataAwsCallerIdentity(this, 'account').accountId;
    const subjects = githubSubjects(props.repository, props.environment, props.defaultBranch);
    const issuer = GITHUB_OIDC_ISSUER.replace('https://', '');

    const role = (kind: CiRoleKind, subject: readonly string[]) =>
      new IamRole(this, `${kind}-role`, {
        name: `${props.name}-github-${kind}`,
        assumeRolePolicy: new DataAwsIamPolicyDocument(this, `${kind}-trust`, {
          statement: [
            {
              actions: ['sts:AssumeRoleWithWebIdentity'],
              principals: [{ type: 'Federated', identifiers: [providerArn] }],
              condition: [
                { test: 'StringEquals', variable: `${issuer}:aud`, values: ['sts.amazonaws.com'] },
                { test: 'StringEquals', variable: `${issuer}:sub`, values: [...subject] },
              ],
            },
          ],
        }).json,
      });
    const context = { name: props.name, regions: props.regions, account, hostedZoneId: props.hostedZoneId, ...(props.state === undefined ? {} : { state: props.state }) };
    const policy = (kind: CiRoleKind, role: IamRole) =>
      new IamRolePolicy(this, `${kind}-permissions`, {
        name: kind === 'plan' ? 'plan-every-stack' : 'deploy-serving-stacks',
        role: role.id,
        policy: new DataAwsIamPolicyDocument(this, `${kind}-document`, { statement: ciRoleStatements(kind, context) }).json,
      });
    this.planRole = role('plan', subjects.plan);
    policy('plan', this.planRole);
    this.deployRole = role('deploy', [subjects.deploy]);
    policy('deploy', this.deployRole);
  }
}

