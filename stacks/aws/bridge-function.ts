import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LambdaAlias } from '@cdktf/provider-aws/lib/lambda-alias/index.js';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret/index.js';
import { AssetType, Fn, TerraformAsset, Token } from 'cdktf';
import { Construct } from 'constructs';
import { awsSecretName, type BridgeEnvironment } from '../bridge-environment.js';
import { LAMBDA_IMAGE_CONFIG } from '../image/release-image.js';
import type { Canary } from '../release.js';

/** Props of {@link BridgeFunction}. */
export interface BridgeFunctionProps {
  /** The function's name; its log group is `/aws/lambda/<name>`. */
  readonly name: string;
  /**
   * The service's name, which its secrets are named after (`<service>/<secret>`, made by bootstrap).
   * @default - the function's name
   */
  readonly serviceName?: string;
  /**
   * The name of the role's inline policy.
   * @default - `<name>-runtime`
   */
  readonly runtimePolicyName?: string;
  /**
   * The name of the function's IAM role (IAM is global: a second region's function needs its own).
   * @default - the function's name
   */
  readonly roleName?: string;
  /**
   * The provider of the region the secrets live in, when it is not this stack's.
   * @default - the stack's default AWS provider
   */
  readonly secretsProvider?: AwsProvider;
  /**
   * What the function runs: the zipped Lambda bundle (`index.mjs` exporting `handler` at its root)
   * on the managed Node 22 runtime, or the release image by digest (the bridge's same handler through
   * the runtime interface client, with the servers it fronts).
   */
  readonly code: { readonly zip: string } | { readonly imageUri: string };
  /** Memory, in MiB (CPU scales with it). */
  readonly memoryMiB: number;
  /** Timeout, in seconds. */
  readonly timeoutSeconds: number;
  /** Concurrency reserved for (and capped at) this function. */
  readonly reservedConcurrency: number;
  /** Days CloudWatch keeps the function's logs. */
  readonly logRetentionDays: number;
  /** The app's environment variables and secrets, shared with Cloud Run. */
  readonly bridgeEnvironment: BridgeEnvironment;
  /**
   * Keep the alias on the previous version and send the canary's share to the new one.
   * @default - the alias points at the newest published version
   */
  readonly canary?: Canary;
}

/** The alias API Gateway invokes. */
export const LIVE_ALIAS = 'live';

/**
 * The bridge on Lambda: Node 22 on arm64, the bundle as a `TerraformAsset` (its
 * hash in `source_code_hash`, so a new build is a new deploy), a log group with
 * retention, and a role allowed to write to that log group and read its own
 * secrets (created by bootstrap, looked up by name): no `Resource: "*"`. Each deploy publishes a version; the `live` alias
 * points at it, or, during a canary, stays on the previous version and sends the
 * canary's share to the new one (weighted alias routing).
 */
export class BridgeFunction extends Construct {
  /** The function; every deploy publishes a new version of it. */
  readonly function: LambdaFunction;
  /** The `live` alias API Gateway invokes: the promoted version, or the canary split. */
  readonly alias: LambdaAlias;
  /** The function's log group. */
  readonly logGroup: CloudwatchLogGroup;
  /** The role the function runs as. */
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: BridgeFunctionProps) {
    super(scope, id);

    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays,
    });

    const assumeRole = new DataAwsIamPolicyDocument(this, 'assume-role', {
      statement: [{ actions: ['sts:AssumeRole'], principals: [{ type: 'Service', identifiers: ['lambda.amazonaws.com'] }] }],
    });
    this.role = new IamRole(this, 'role', { name: props.roleName ?? props.name, assumeRolePolicy: assumeRole.json });

    // The secrets come from bootstrap (so a value outlives any change here): looked up by name for their ARNs.
    const secrets = props.bridgeEnvironment.secrets.map((secret) => ({
      secret,
      stored: new DataAwsSecretsmanagerSecret(this, `secret-${secret.envVar}`, { name: awsSecretName(props.serviceName ?? props.name, secret), provider: props.secretsProvider }),
    }));

    const permissions = new DataAwsIamPolicyDocument(this, 'permissions', {
      statement: [
        {
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [`${this.logGroup.arn}:*`],
        },
        ...(secrets.length === 0
          ? []
          : [{ sid: 'ReadOwnSecrets', actions: ['secretsmanager:GetSecretValue'], resources: secrets.map(({ stored }) => stored.arn) }]),
      ],
    });
    new IamRolePolicy(this, 'policy', { name: props.runtimePolicyName ?? `${props.name}-runtime`, role: this.role.id, policy: permissions.json });

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.name,
      role: this.role.arn,
      ...this.code(props.code),
      publish: true,
      memorySize: props.memoryMiB,
      timeout: props.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      loggingConfig: { logFormat: 'Text', logGroup: this.logGroup.name },
      environment: {
        variables: {
          ...props.bridgeEnvironment.variables,
          ...Object.fromEntries(secrets.map(({ secret, stored }) => [`${secret.envVar}_SECRET_ARN`, stored.arn])),
        },
      },
      dependsOn: [this.logGroup],
      // Switching between the zip and the image is a new function (another name, see lambdaFunctionName):
      // created, with its alias and permission, before the old one goes.
      lifecycle: { createBeforeDestroy: true },
    });

    const canary = props.canary;
    this.alias = new LambdaAlias(this, 'live', {
      lifecycle: { createBeforeDestroy: true },
      name: LIVE_ALIAS,
      functionName: this.function.functionName,
      functionVersion: canary === undefined ? this.function.version : String(canary.lambdaStableVersion),
      ...(canary === undefined || canary.percent === 0
        ? {}
        : {
            routingConfig: {
              // The new version's number is known only at apply time, hence a map built by Terraform.
              additionalVersionWeights: Token.asAny(Fn.zipmap([this.function.version], [canary.percent / 100])) as unknown as Record<string, number>,
            },
          }),
    });
  }

  /**
   * The zip on arm64 (Graviton: cheaper per millisecond), or the image on x86_64: Cloud Run runs
   * linux/amd64 images only and Lambda refuses multi-architecture manifests, so the one digest both
   * clouds run is an amd64 image. Changing `package_type` replaces the function (ForceNew).
   */
  private code(code: BridgeFunctionProps['code']) {
    if ('imageUri' in code) {
      return { packageType: 'Image', imageUri: code.imageUri, architectures: ['x86_64'], imageConfig: { entryPoint: [...LAMBDA_IMAGE_CONFIG.entryPoint], command: [...LAMBDA_IMAGE_CONFIG.command], workingDirectory: LAMBDA_IMAGE_CONFIG.workingDirectory } };
    }
    const bundle = new TerraformAsset(this, 'bundle', { path: code.zip, type: AssetType.FILE });
    return { runtime: 'nodejs22.x', architectures: ['arm64'], handler: 'index.handler', filename: bundle.path, sourceCodeHash: Fn.filebase64sha256(bundle.path) };
  }
}
