import { ArtifactRegistryRepository } from '@cdktf/provider-google/lib/artifact-registry-repository/index.js';
import { ProjectService } from '@cdktf/provider-google/lib/project-service/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import { SecretManagerSecret } from '@cdktf/provider-google/lib/secret-manager-secret/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { TerraformOutput, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AuditLogBucket } from './bootstrap/audit-log-bucket.js';
import { GcsStateBucket } from './bootstrap/gcs-state-bucket.js';
import { GithubCiGoogle } from './bootstrap/github-ci-google.js';
import { dependOnTheirApis, GOOGLE_APIS } from './bootstrap/google-apis.js';
import { environmentSecrets, googleSecretId } from './bridge-environment.js';
import type { EnvironmentConfig } from './config.js';
import { buildSourcesBucket, resourceName } from './naming.js';
import { useRemoteState } from './remote-state.js';

/** Props of {@link BootstrapGcpStack}. */
export interface BootstrapGcpStackProps {
  /** The environment to bootstrap. */
  readonly env: EnvironmentConfig;
  /**
   * Keep this stack's state on the local disk: its first apply, before the bucket it creates exists.
   * @default false
   */
  readonly localState?: boolean;
}

/**
 * `<env>-bootstrap-gcp`: what must exist on Google Cloud before the gcp stack can deploy: the
 * APIs, the state bucket (which then holds this stack's state too), the image repository, the
 * secrets' containers, the audit log bucket, and GitHub Actions' keyless identities.
 */
export class BootstrapGcpStack extends TerraformStack {
  /** The Artifact Registry repository images are pushed to (`<region>-docker.pkg.dev/<project>/mcp-bridge-<env>`). */
  readonly repository: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: BootstrapGcpStackProps) {
    super(scope, id);
    const { env } = props;
    const { project, region } = env.gcp;
    useRemoteState(this, env, 'bootstrap-gcp', props.localState);
    new GoogleProvider(this, 'google', { project, region });
    const name = resourceName(env.name);

    const apis = new Map(
      GOOGLE_APIS.map((service) => [
        service,
        // Turning an API off would break every other user of the project: never on destroy.
        new ProjectService(this, `api-${service.split('.')[0]}`, { project, service, disableOnDestroy: false, disableDependentServices: false }),
      ]),
    );

    const stateBuckets = env.state.backend === 'remote' ? [new GcsStateBucket(this, 'state', { name: env.state.gcs.bucket, project, location: region }).bucket.name] : [];

    this.repository = new ArtifactRegistryRepository(this, 'repository', {
      project,
      location: region,
      repositoryId: name,
      format: 'DOCKER',
      description: 'Images of the MCP bridge, deployed by digest',
      dockerConfig: { immutableTags: true },
    });
    for (const secret of environmentSecrets(env)) {
      new SecretManagerSecret(this, `secret-${secret.envVar}`, {
        project,
        secretId: googleSecretId(name, secret),
        replication: { auto: {} },
        });
    }
    new AuditLogBucket(this, 'audit', { project, serviceName: name, retentionDays: env.audit.retentionDays });
    const buildSources = new StorageBucket(this, 'build-sources', {
      name: buildSourcesBucket(env),
      project,
      location: region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      lifecycleRule: [{ condition: { age: 7 }, action: { type: 'Delete' } }],
    });

    new TerraformOutput(this, 'repository-url', { value: `${region}-docker.pkg.dev/${project}/${name}` });
    if (env.github !== undefined) {
      const ci = new GithubCiGoogle(this, 'github', {
        project,
        name,
        environment: env.name,
        repository: env.github.repository,
        defaultBranch: env.github.defaultBranch,
        stateBuckets,
        deployBuckets: [buildSources.name],
      });
      new TerraformOutput(this, 'GCP_WORKLOAD_IDENTITY_PROVIDER', { value: ci.providerName });
      new TerraformOutput(this, 'GCP_PLAN_SERVICE_ACCOUNT', { value: ci.planServiceAccount.email });
      new TerraformOutput(this, 'GCP_DEPLOY_SERVICE_ACCOUNT', { value: ci.deployServiceAccount.email });
    }
    dependOnTheirApis(this, apis);
  }
}
