import { TerraformResource, type IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/** A resource binding with an AWS `tags` or GCP `labels` map. */
type Labelled = TerraformResource & {
  tags?: Record<string, string>;
  tagsInput?: Record<string, string>;
  labels?: Record<string, string>;
  labelsInput?: Record<string, string>;
};

/**
 * Puts the standard `service`, `environment` and `managed-by` labels (GCP) or tags
 * (AWS) on every resource whose binding takes them, keeping any it already has.
 */
export class StandardTagsAspect implements IAspect {
  constructor(private readonly tags: Readonly<Record<string, string>>) {}

  visit(node: IConstruct): void {
    if (!(node instanceof TerraformResource)) return;
    const resource = node as Labelled;
    // The `…Input` getters return what was configured; the plain getters return attribute tokens.
    if (takesMap(resource, 'tags')) resource.tags = { ...this.tags, ...resource.tagsInput };
    else if (takesMap(resource, 'labels')) resource.labels = { ...this.tags, ...resource.labelsInput };
  }
}

/** Whether a resource's binding declares the map (its `…Input` getter exists on the class). */
export function takesMap(resource: TerraformResource, map: 'tags' | 'labels'): boolean {
  return `${map}Input` in resource;
}
