import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { Construct } from 'constructs';

/** Props of {@link GcsStateBucket}. */
export interface GcsStateBucketProps {
  /** The bucket's name (`state.gcs.bucket`). */
  readonly name: string;
  /** The GCP project. */
  readonly project: string;
  /** Where the bucket lives when created (the environment's region); later changes are ignored. */
  readonly location: string;
  /**
   * Days a replaced state version is kept before it is deleted.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The bucket the Google stacks keep their Terraform state in: versioned (every state ever
 * written can be restored for `noncurrentVersionDays`), encrypted at rest (Google-managed keys),
 * uniform bucket-level access and public access prevention enforced; Terraform refuses to
 * destroy or replace it (`prevent_destroy`).
 */
export class GcsStateBucket extends Construct {
  /** The bucket. */
  readonly bucket: StorageBucket;

  constructor(scope: Construct, id: string, props: GcsStateBucketProps) {
    super(scope, id);
    this.bucket = new StorageBucket(this, 'bucket', {
      name: props.name,
      project: props.project,
      location: props.location,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      versioning: { enabled: true },
      forceDestroy: false,
      // Every stack's state lives here: a config change that would replace or delete it stops at plan.
      // Its location is where bootstrap first made it: the service moving region does not move it.
      lifecycle: { preventDestroy: true, ignoreChanges: ['location'] },
      lifecycleRule: [
        { condition: { daysSinceNoncurrentTime: props.noncurrentVersionDays ?? 90, withState: 'ARCHIVED' }, action: { type: 'Delete' } },
      ],
    });
  }
}
