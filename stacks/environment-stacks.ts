import type { App } from 'cdktf';
import { Aspects } from 'cdktf';
import { AwsStack } from './aws-stack.js';
import { BootstrapAwsStack } from './bootstrap-aws-stack.js';
import { BootstrapGcpStack } from './bootstrap-gcp-stack.js';
import type { EnvironmentConfig } from './config.js';
import { EdgeStack } from './edge-stack.js';
import { GcpStack } from './gcp-stack.js';
import { awsStackKind, stackId, standardTags } from './naming.js';
import { PolicyAspect } from './policy/policy-aspect.js';
import { StandardTagsAspect } from './tagging.js';

/** What {@link addEnvironmentStacks} needs besides the environment. */
export interface EnvironmentStacksOptions {
  /** The zipped Lambda bundle. */
  readonly lambdaBundleZip: string;
  /**
   * Keep the bootstrap stacks' state on the local disk (`npm run bootstrap` sets this for their
   * first apply, before the buckets that then hold it exist).
   * @default false
   */
  readonly bootstrapLocalState?: boolean;
}

/** The stacks of one environment. */
export interface EnvironmentStacks {
  readonly bootstrapGcp: BootstrapGcpStack;
  readonly bootstrapAws: BootstrapAwsStack;
  readonly gcp: GcpStack;
  /** The home region's AWS stack. */
  readonly aws: AwsStack;
  /** Every AWS region's stack, the home region's first. */
  readonly awsRegions: readonly AwsStack[];
  readonly edge: EdgeStack;
}

/**
 * Adds `<env>-bootstrap-gcp`, `<env>-bootstrap-aws`, `<env>-gcp`, `<env>-aws` (and
 * `<env>-aws-<region>` for each further AWS region) and `<env>-edge` to the app, wires the edge stack to
 * the other two through cdktf cross-stack references, labels everything, and enforces
 * the policies (synth fails on a violation).
 */
export function addEnvironmentStacks(app: App, env: EnvironmentConfig, options: EnvironmentStacksOptions): EnvironmentStacks {
  const localState = options.bootstrapLocalState ?? false;
  const bootstrapGcp = new BootstrapGcpStack(app, stackId(env.name, 'bootstrap-gcp'), { env, localState });
  const bootstrapAws = new BootstrapAwsStack(app, stackId(env.name, 'bootstrap-aws'), { env, localState });
  const gcp = new GcpStack(app, stackId(env.name, 'gcp'), { env });
  const awsRegions = env.aws.regions.map(
    (region) =>
      new AwsStack(app, stackId(env.name, awsStackKind(env, region)), {
        env,
        region,
        lambdaBundleZip: options.lambdaBundleZip,
      }),
  );
  const aws = awsRegions[0]!;
  const edge = new EdgeStack(app, stackId(env.name, 'edge'), {
    env,
    primary: gcp.loadBalancer,
    secondaries: awsRegions.map((stack, index) => ({ region: env.aws.regions[index]!, httpApi: stack.httpApi })),
    failoverDrill: env.failoverDrill,
  });
  const tags = standardTags(env.name);
  for (const stack of [bootstrapGcp, bootstrapAws, gcp, ...awsRegions, edge]) {
    Aspects.of(stack).add(new StandardTagsAspect(tags));
    Aspects.of(stack).add(new PolicyAspect({ environment: env.name, production: env.tier === 'production', deletionProtection: env.deletionProtection, requiredTags: Object.keys(tags) }));
  }
  return { bootstrapGcp, bootstrapAws, gcp, aws, awsRegions, edge };
}
