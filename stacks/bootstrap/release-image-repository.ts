import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { DataAwsPartition } from '@cdktf/provider-aws/lib/data-aws-partition/index.js';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository/index.js';
import { EcrRepositoryPolicy } from '@cdktf/provider-aws/lib/ecr-repository-policy/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Construct } from 'constructs';

/** Props of {@link ReleaseImageRepository}. */
export interface ReleaseImageRepositoryProps {
  /** The repository's name: the environment's service name (the Lambda's function name too). */
  readonly name: string;
  /** The region it is in: a Lambda pulls its image only from its own region. */
  readonly region: string;
  /**
   * The provider of that region.
   * @default - the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
}

/**
 * The ECR repository an environment's release image is pushed to, in one region: tags immutable
 * (a tag names one build), scanned on push, and a repository policy that lets Lambda pull the image
 * for this environment's function alone. The policy is written here rather than left to Lambda:
 * Lambda adds its own statement only when the deploying identity may rewrite the policy, and a
 * policy Terraform manages would drop that statement on its next apply.
 */
export class ReleaseImageRepository extends Construct {
  /** The repository. */
  readonly repository: EcrRepository;

  constructor(scope: Construct, id: string, props: ReleaseImageRepositoryProps) {
    super(scope, id);
    const provider = props.provider;
    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      provider,
    });
    const account = new DataAwsCallerIdentity(this, 'account', { provider });
    const partition = new DataAwsPartition(this, 'partition', { provider });
    const lambdaPull = new DataAwsIamPolicyDocument(this, 'lambda-pull', {
      provider,
      statement: [
        {
          sid: 'LambdaPullsReleaseImage',
          principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }],
          actions: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
          condition: [{ test: 'StringLike', variable: 'aws:sourceArn', values: [`arn:${partition.partition}:lambda:${props.region}:${account.accountId}:function:${props.name}*`] }],
        },
      ],
    });
    new EcrRepositoryPolicy(this, 'policy', { repository: this.repository.name, policy: lambdaPull.json, provider });
  }
}
