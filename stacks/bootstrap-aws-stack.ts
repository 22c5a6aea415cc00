import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { GithubCiAws } from './bootstrap/github-ci-aws.js';
import { ReleaseImageRepository } from './bootstrap/release-image-repository.js';
import { S3StateBucket } from './bootstrap/s3-state-bucket.js';
import { awsSecretName, environmentSecrets } from './bridge-environment.js';
import type { EnvironmentConfig } from './config.js';
import { forgetMovedResources } from './moved-to-bootstrap.js';
import { resourceName } from './naming.js';
import { useRemoteState } from './remote-state.js';
import { needsReleaseImage } from './server-packaging.js';

/** Props of {@link BootstrapAwsStack}. */
export interface BootstrapAwsStackProps {
  /** The environment to bootstrap. */
  readonly env: EnvironmentConfig;
  /**
   * Keep this stack's state on the local disk: its first apply, before the bucket it creates exists.
   * @default false
   */
  readonly localState?: boolean;
}

/**
 * `<env>-bootstrap-aws`: what must exist on AWS before the aws and edge stacks can deploy: the
 * state bucket (which then holds this stack's state too), the secrets' containers, the release
 * image's ECR repository in each region (when the servers need the image), and GitHub Actions'
 * keyless roles.
 */
export class BootstrapAwsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: BootstrapAwsStackProps) {
    super(scope, id);
    const { env } = props;
    useRemoteState(this, env, 'bootstrap-aws', props.localState);
    forgetMovedResources(this, 'bootstrap-aws');
    new AwsProvider(this, 'aws', { region: env.aws.region });
    const name = resourceName(env.name);

    let state: { bucket: string; prefix: string } | undefined;
    if (env.state.backend === 'remote') {
      const stateRegion = env.state.s3.region;
      const provider = stateRegion === env.aws.region ? undefined : new AwsProvider(this, 'aws-state', { alias: 'state', region: stateRegion });
      new S3StateBucket(this, 'state', { name: env.state.s3.bucket, ...(provider === undefined ? {} : { provider }) });
      state = { bucket: env.state.s3.bucket, prefix: env.name };
    }
    for (const secret of environmentSecrets(env)) {
      // Named after the secret's name, not its variable: the address under the former name is forgotten (see MOVED_TO_BOOTSTRAP).
      new SecretsmanagerSecret(this, `secret-${secret.awsName}`, {
        name: awsSecretName(name, secret),
        description: `${secret.envVar} of ${name}: set by ${secret.setBy}, never by Terraform`,
      });
    }
    // The release image, in every region: a Lambda pulls only from its own region's registry.
    if (needsReleaseImage(env.servers)) {
      for (const region of env.aws.regions) {
        const provider = region === env.aws.region ? undefined : new AwsProvider(this, `aws-${region}`, { alias: region, region });
        new ReleaseImageRepository(this, region === env.aws.region ? 'release-image' : `release-image-${region}`, { name, region, ...(provider === undefined ? {} : { provider }) });
      }
    }
    if (env.github !== undefined) {
      const ci = new GithubCiAws(this, 'github', {
        name,
        environment: env.name,
        repository: env.github.repository,
        defaultBranch: env.github.defaultBranch,
        regions: env.aws.regions,
        hostedZoneId: env.hostedZone.id,
        ...(state === undefined ? {} : { state }),
        oidcProvider: env.awsOidcProvider,
      });
      new TerraformOutput(this, 'AWS_PLAN_ROLE_ARN', { value: ci.planRole.arn });
      new TerraformOutput(this, 'AWS_DEPLOY_ROLE_ARN', { value: ci.deployRole.arn });
    }
  }
}
