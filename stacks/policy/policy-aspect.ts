import { DefaultTokenResolver, StringConcat, TerraformDataSource, TerraformResource, Tokenization, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';
import { TAG_ATTRIBUTE, tagMapOf } from '../tagging.js';
import { POLICY_RULES, type PolicyRule, type ResourceUnderReview } from './rules.js';

/** Options of {@link PolicyAspect}. */
export interface PolicyAspectOptions {
  /** The environment the stack belongs to. */
  readonly environment: string;
  /** Whether it is in the production tier (stricter rules). */
  readonly production: boolean;
  /**
   * Whether the config keeps deletion protection on (off only to tear the environment down).
   * @default - on in the production tier
   */
  readonly deletionProtection?: boolean;
  /** Labels/tags every resource that takes them must carry. */
  readonly requiredTags: readonly string[];
  /**
   * The rules to enforce.
   * @default POLICY_RULES
   */
  readonly rules?: readonly PolicyRule[];
}

/**
 * Fails synth when a resource breaks a policy: wildcard IAM actions, writes on
 * `Resource: "*"`, secrets as plain environment values, log groups without retention,
 * production without deletion protection (unless the config turned it off), TLS below 1.2, or missing standard tags.
 * Add it after the tagging aspect; it checks resources as they will be emitted.
 */
export class PolicyAspect implements IAspect {
  constructor(private readonly options: PolicyAspectOptions) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource || node instanceof TerraformDataSource)) return;
    const { environment, production, deletionProtection = production, requiredTags, rules = POLICY_RULES } = this.options;
    node.node.addValidation({
      validate: () => {
        const config = Tokenization.resolve(node.toTerraform(), {
          scope: node,
          resolver: new DefaultTokenResolver(new StringConcat()),
        }) as Record<string, any>;
        const [type] = Object.keys(config.resource ?? config.data ?? {});
        const body = Object.values((config.resource ?? config.data)[type!] as Record<string, any>)[0] as Record<string, any>;
        const resource: ResourceUnderReview = { type: type!, path: node.node.path, config: body, environment, production, deletionProtection };
        const problems = rules.flatMap((rule) => rule(resource));
        const tagMap = node instanceof TerraformResource ? tagMapOf(node) : undefined;
        if (tagMap !== undefined) {
          const tags = body[TAG_ATTRIBUTE[tagMap]] ?? {};
          const missing = requiredTags.filter((key) => !(key in tags));
          if (missing.length > 0) problems.push(`${node.node.path}: missing ${TAG_ATTRIBUTE[tagMap]} ${missing.join(', ')}`);
        }
        return problems;
      },
    });
  }
}
