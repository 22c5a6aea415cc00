import { DataAwsEcrRepository } from '@cdktf/provider-aws/lib/data-aws-ecr-repository/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AlarmTopic } from './alarm-topic.js';
import { BridgeFunction } from './aws/bridge-function.js';
import { ToolCallMetricFilter } from './aws/tool-call-metric-filter.js';
import { BridgeHttpApi } from './aws/bridge-http-api.js';
import { bridgeEnvironment, serverPaths } from './bridge-environment.js';
import type { EnvironmentConfig } from './config.js';
import { awsStackKind, lambdaFunctionName, regionalDomainName, resourceName } from './naming.js';
import { canaryOf } from './release.js';
import { forgetMovedResources } from './moved-to-bootstrap.js';
import { useRemoteState } from './remote-state.js';
import { needsReleaseImage } from './server-packaging.js';

/**
 * The release image in this region's ECR repository (bootstrap creates it, the deploy pushes to it),
 * by the digest Cloud Run runs: the config's `image` names it once for both clouds.
 */
function releaseImageUri(scope: Construct, env: EnvironmentConfig, name: string): string {
  const repository = new DataAwsEcrRepository(scope, 'release-image', { name });
  return `${repository.repositoryUrl}@${env.image.slice(env.image.indexOf('@') + 1)}`;
}

/** Props of {@link AwsStack}. */
export interface AwsStackProps {
  /** The environment to build. */
  readonly env: EnvironmentConfig;
  /** The zipped Lambda bundle (`npm run build` and synth write `dist/lambda.zip`). */
  readonly lambdaBundleZip: string;
  /**
   * The region this stack serves: one of `aws.regions`. Every region but the home one is a stack
   * of its own (`<env>-aws-<region>`), so each region plans and applies alone.
   * @default - the home region
   */
  readonly region?: string;
}

/**
 * `<env>-aws` (and `<env>-aws-<region>` for every further region): the secondary. Lambda behind an HTTP API with a custom domain, and
 * CloudWatch alarms to SNS. References nothing on GCP, so it plans and applies while
 * GCP is down.
 */
export class AwsStack extends TerraformStack {
  /** The HTTP API and its custom domain: the SECONDARY failover record's target. */
  readonly httpApi: BridgeHttpApi;
  /** The function, its role and log group. */
  readonly bridge: BridgeFunction;

  constructor(scope: Construct, id: string, props: AwsStackProps) {
    super(scope, id);
    const { env } = props;
    const region = props.region ?? env.aws.region;
    const home = region === env.aws.region;
    useRemoteState(this, env, awsStackKind(env, region));
    forgetMovedResources(this, home ? 'aws' : 'aws-further-region');
    new AwsProvider(this, 'aws', { region });
    // The secrets live in the home region (one list of token digests for every region).
    const secretsProvider = home ? undefined : new AwsProvider(this, 'aws-home', { alias: 'home', region: env.aws.region });

    const name = resourceName(env.name);
    const canary = canaryOf(env, { gcp: env.gcp.region, aws: region });
    this.bridge = new BridgeFunction(this, 'bridge', {
      name: lambdaFunctionName(env),
      // IAM is global: each region's function has a role of its own, named after the service whatever the function's name.
      roleName: home ? name : `${name}-${region}`,
      serviceName: name,
      runtimePolicyName: `${name}-runtime`,
      ...(secretsProvider === undefined ? {} : { secretsProvider }),
      code: needsReleaseImage(env.servers) ? { imageUri: releaseImageUri(this, env, name) } : { zip: props.lambdaBundleZip },
      ...env.lambda,
      // The audit lines are in the function's log group: it keeps them for the audit's retention.
      logRetentionDays: Math.max(env.logRetentionDays, env.audit.retentionDays),
      bridgeEnvironment: bridgeEnvironment(env),
      ...(canary === undefined ? {} : { canary }),
    });
    new ToolCallMetricFilter(this, 'tool-calls', { logGroup: this.bridge.logGroup, environment: env.name });
    this.httpApi = new BridgeHttpApi(this, 'http-api', {
      name,
      alias: this.bridge.alias,
      domainName: env.domainName,
      serverPaths: serverPaths(env),
      // With several regions, each also answers on its own name, which its Route 53 health check probes.
      ...(env.aws.regions.length > 1 ? { regionalDomainName: regionalDomainName(env, region) } : {}),
      hostedZoneId: env.hostedZone.id,
      // One owner for the failover name's validation record, which every region's certificate shares.
      ownsFailoverNameValidation: home,
      logRetentionDays: env.logRetentionDays,
    });

    const alarms = new AlarmTopic(this, 'alarms', { name: resourceName(env.name, 'alarms'), emails: env.alerts.emails });
    const lambdaDimensions = { FunctionName: this.bridge.function.functionName };
    const lambdaMetric = { namespace: 'AWS/Lambda', dimensions: lambdaDimensions, comparisonOperator: 'GreaterThanOrEqualToThreshold' };
    alarms.alarm({ ...lambdaMetric, name: 'errors', description: 'Lambda invocations failed (crash or timeout)', metricName: 'Errors', statistic: 'Sum', threshold: 5 });
    alarms.alarm({ ...lambdaMetric, name: 'throttles', description: 'Lambda invocations throttled at the reserved concurrency', metricName: 'Throttles', statistic: 'Sum', threshold: 1 });
    alarms.alarm({
      ...lambdaMetric,
      name: 'duration-p99',
      description: `Lambda p99 duration above ${env.alerts.latencyP99Ms} ms`,
      metricName: 'Duration',
      statistic: 'p99',
      threshold: env.alerts.latencyP99Ms,
    });
    alarms.alarm({
      name: 'api-5xx',
      description: 'HTTP API answered 5xx',
      namespace: 'AWS/ApiGateway',
      metricName: '5xx',
      dimensions: { ApiId: this.httpApi.api.id, Stage: this.httpApi.stage.name },
      statistic: 'Sum',
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      threshold: 5,
    });
  }
}
