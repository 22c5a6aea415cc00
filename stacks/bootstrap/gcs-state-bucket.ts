import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { Construct } from 'constructs';

/** Props of {@link GcsStateBucket}. */
export interface GcsStateBucketProps {
  /** The bucket's name (`state.gcs.bucket`). */
  readonly name: string;
  /** The GCP project. */
  readonly project: string;
  /** Where the bucket lives: the environment's region. */
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
 * uniform bucket-level access and public access prevention enforced, never destroyed with objects.
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
      lifecycleRule: [
        { condition: { daysSinceNoncurrentTime: props.noncurrentVersionDays ?? 90, withState: 'ARCHIVED' }, action: { type: 'Delete' } },
      ],
    });
  }
}
