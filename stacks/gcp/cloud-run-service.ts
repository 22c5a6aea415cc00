import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service/index.js';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { SecretManagerSecretIamMember } from '@cdktf/provider-google/lib/secret-manager-secret-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { DefaultTokenResolver, Lazy, StringConcat, Tokenization } from 'cdktf';
import { Construct } from 'constructs';
import objectHash from 'object-hash';
import { googleSecretId, type BridgeEnvironment } from '../bridge-environment.js';
import { CANARY_TAG, type Canary } from '../release.js';

/** Props of {@link CloudRunBridge}. */
export interface CloudRunBridgeProps {
  /** Service name; also the name of its service account (its repository and secrets, from bootstrap, are named after it too). */
  readonly name: string;
  /** The GCP project. */
  readonly project: string;
  /** The region of the service and the repository. */
  readonly region: string;
  /** The container image, pinned by digest (validated by the config schema). */
  readonly image: string;
  /** vCPUs per instance, as Cloud Run spells them (`"1"`, `"2"`, …). */
  readonly cpu: string;
  /** Memory per instance, in MiB. */
  readonly memoryMiB: number;
  /** Requests an instance serves at once. */
  readonly concurrency: number;
  /** Request timeout, in seconds. */
  readonly timeoutSeconds: number;
  /** Instances kept warm. */
  readonly minInstances: number;
  /** Upper bound on instances. */
  readonly maxInstances: number;
  /** IAM members granted `roles/run.invoker`. */
  readonly invokers: readonly string[];
  /** Protect the service from `terraform destroy`. */
  readonly deletionProtection: boolean;
  /** The app's environment variables and secrets, shared with the Lambda. */
  readonly bridgeEnvironment: BridgeEnvironment;
  /**
   * Split traffic between the revision serving before this release and this one (tagged `canary`).
   * @default - all traffic to the latest revision
   */
  readonly canary?: Canary;
  /**
   * Run as this identity (the home region's service in a multi-region setup) instead of making one.
   * @default - a service account of its own, with its roles and secret access
   */
  readonly serviceAccount?: ServiceAccount;
}

/** Hex digits of the template's digest in a revision name. */
export const REVISION_HASH_LENGTH = 10;

/**
 * The revision name of a template: the service name and the first {@link REVISION_HASH_LENGTH}
 * hex digits of the SHA-256 of the template (every field, order of object keys ignored). Cloud Run
 * refuses to create a revision under a name that exists with another spec (409; google provider
 * issues #13921 and #14569), so the name must change whenever anything in the template changes:
 * image, resources, variables, secrets, scaling, timeout, concurrency, probes.
 */
export function revisionName(service: string, template: unknown): string {
  return `${service}-${objectHash(template as object, { algorithm: 'sha256', encoding: 'hex' }).slice(0, REVISION_HASH_LENGTH)}`;
}

/** The service account's project roles: logs, metrics and traces, nothing else. */
export const CLOUD_RUN_ROLES = ['roles/logging.logWriter', 'roles/monitoring.metricWriter', 'roles/cloudtrace.agent'] as const;

/**
 * The bridge on Cloud Run v2: a dedicated service account with only the roles it needs
 * (reading its secrets included), and the service itself (image by digest,
 * CPU always allocated, startup boost, probes on `/health`, reachable only through
 * the load balancer).
 */
export class CloudRunBridge extends Construct {
  /** The Cloud Run service, for the load balancer's serverless NEG and the alerts. */
  readonly service: CloudRunV2Service;
  /** The identity the service runs as. */
  readonly serviceAccount: ServiceAccount;
  /** The name of the revision this template creates (see {@link revisionName}). */
  readonly revision: string;

  constructor(scope: Construct, id: string, props: CloudRunBridgeProps) {
    super(scope, id);

    const ownIdentity = props.serviceAccount === undefined;
    this.serviceAccount =
      props.serviceAccount ??
      new ServiceAccount(this, 'service-account', {
        project: props.project,
        accountId: props.name,
        displayName: `Runs the ${props.name} Cloud Run service`,
      });
    const member = `serviceAccount:${this.serviceAccount.email}`;
    if (ownIdentity) {
      for (const role of CLOUD_RUN_ROLES) {
        new ProjectIamMember(this, `role-${role.split('/')[1]}`, { project: props.project, role, member });
      }
    }

    // The secrets' containers come from bootstrap (so a value outlives any change here): referred to by id.
    // The service waits for them: Cloud Run checks a revision's access to its secrets when it creates
    // it, and nothing else orders the two (terraform-provider-google issues 10846 and 13786).
    const accessors: SecretManagerSecretIamMember[] = [];
    const secretEnv = props.bridgeEnvironment.secrets.map((secret) => {
      const secretId = googleSecretId(props.name, secret);
      if (ownIdentity) {
        const accessor = new SecretManagerSecretIamMember(this, `secret-${secret.envVar}-accessor`, {
          project: props.project,
          secretId,
          role: 'roles/secretmanager.secretAccessor',
          member,
        });
        accessors.push(accessor);
      }
      return { name: secret.envVar, valueSource: { secretKeyRef: { secret: secretId, version: 'latest' } } };
    });

    const probe = { httpGet: { path: '/health' } };
    const template = {
      serviceAccount: this.serviceAccount.email,
      maxInstanceRequestConcurrency: props.concurrency,
      timeout: `${props.timeoutSeconds}s`,
      scaling: { minInstanceCount: props.minInstances, maxInstanceCount: props.maxInstances },
      containers: [
        {
          image: props.image,
          ports: { containerPort: 8080 },
          resources: {
            limits: { cpu: props.cpu, memory: `${props.memoryMiB}Mi` },
            cpuIdle: false,
            startupCpuBoost: true,
          },
          env: [
            ...Object.entries(props.bridgeEnvironment.variables).map(([name, value]) => ({ name, value })),
            ...secretEnv,
          ],
          startupProbe: { ...probe, periodSeconds: 2, failureThreshold: 15, timeoutSeconds: 2 },
          livenessProbe: { ...probe, periodSeconds: 15, failureThreshold: 3, timeoutSeconds: 5 },
        },
      ],
    };
    // Hashed as it will be emitted: references (the service account's e-mail, the secrets' ids)
    // resolve to their Terraform expressions, which are stable between synths.
    this.revision = Lazy.stringValue({ produce: (context) => revisionName(props.name, context.resolve(template)) });
    this.service = new CloudRunV2Service(this, 'service', {
      project: props.project,
      location: props.region,
      name: props.name,
      labels: { region: props.region },
      ingress: 'INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER',
      deletionProtection: props.deletionProtection,
      traffic:
        props.canary === undefined
          ? [{ type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_LATEST', percent: 100 }]
          : [
              {
                type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
                revision: props.canary.previousRevision,
                percent: 100 - props.canary.percent,
              },
              {
                type: 'TRAFFIC_TARGET_ALLOCATION_TYPE_REVISION',
                revision: this.revision,
                percent: props.canary.percent,
                tag: CANARY_TAG,
              },
            ],
      template: { ...template, revision: this.revision },
      ...(accessors.length === 0 ? {} : { dependsOn: accessors }),
    });

    const canary = props.canary;
    if (canary !== undefined) {
      this.node.addValidation({
        validate: () => {
          const revision = Tokenization.resolve(this.revision, { scope: this, resolver: new DefaultTokenResolver(new StringConcat()) }) as string;
          return revision === canary.previousRevision
            ? [`previousRevision: "${revision}" is the revision this config creates; name the revision serving before this release`]
            : [];
        },
      });
    }

    for (const [index, invoker] of props.invokers.entries()) {
      new CloudRunV2ServiceIamMember(this, `invoker-${index}`, {
        project: props.project,
        location: props.region,
        name: this.service.name,
        role: 'roles/run.invoker',
        member: invoker,
      });
    }
  }
}
