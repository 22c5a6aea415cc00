import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A resource binding with an AWS `tags` or GCP `labels` map. */
type Labelled = TerraformResource & {
  tags?: Record<string, string>;
  tagsInput?: Record<string, string>;
  labels?: Record<string, string>;
  labelsInput?: Record<string, string>;
  userLabels?: Record<string, string>;
  userLabelsInput?: Record<string, string>;
};

/** The binding fields that can carry the standard tags, each with its Terraform attribute. */
export const TAG_ATTRIBUTE = { tags: 'tags', userLabels: 'user_labels', labels: 'labels' } as const;

/** A binding field that can carry the standard tags. */
export type TagMap = keyof typeof TAG_ATTRIBUTE;

/**
 * Puts the standard `service`, `environment` and `managed-by` labels (GCP) or tags
 * (AWS) on every resource whose binding takes them, keeping any it already has.
 * Where a GCP resource has `user_labels`, those are its labels and `labels` is
 * configuration (a notification channel's e-mail address), so `user_labels` is used; a GCP
 * resource's `tags` is never used (see {@link tagMapOf}).
 */
export class StandardTagsAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const resource = node as Labelled;
    const map = tagMapOf(resource);
    if (map === undefined) return;
    // The `…Input` getters return what was configured; the plain getters return attribute tokens.
    resource[map] = { ...this.tags, ...resource[`${map}Input`] };
  }
}

/**
 * The maps that can carry the standard tags, by provider, in order of preference. On Google
 * resources `tags` is never a label map: on `google_secret_manager_secret` (provider 6.x) it holds
 * Resource Manager tags, whose keys must be `tagKeys/{id}` or `{org|project}/{key}`, are set only at
 * creation (ForceNew: changing them replaces the secret and loses its versions), and plain keys such
 * as `service` fail at apply (resource_secret_manager_secret.go, v6.50.0). Labels are the GCP
 * equivalent of AWS tags.
 */
const TAG_MAPS_BY_PROVIDER: Readonly<Record<'aws' | 'google', readonly TagMap[]>> = {
  aws: ['tags'],
  google: ['userLabels', 'labels'],
};

/** The field of a resource binding that carries its tags or labels, if it has one. */
export function tagMapOf(resource: TerraformResource): TagMap | undefined {
  const provider = resource.terraformResourceType.startsWith('google_') ? 'google' : 'aws';
  return TAG_MAPS_BY_PROVIDER[provider].find((map) => `${map}Input` in resource);
}
