import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketLifecycleConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration/index.js';
import { S3BucketOwnershipControls } from '@cdktf/provider-aws/lib/s3-bucket-ownership-controls/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA as S3BucketServerSideEncryptionConfiguration } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { S3BucketVersioningA as S3BucketVersioning } from '@cdktf/provider-aws/lib/s3-bucket-versioning/index.js';
import { Construct } from 'constructs';

/** Props of {@link S3StateBucket}. */
export interface S3StateBucketProps {
  /** The bucket's name (`state.s3.bucket`). */
  readonly name: string;
  /**
   * The provider of the bucket's region (`state.s3.region`).
   * @default - the stack's default AWS provider
   */
  readonly provider?: AwsProvider;
  /**
   * Days a replaced state version is kept before it is deleted.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
}

/**
 * The bucket the AWS stacks keep their Terraform state in: versioned, encrypted by default
 * (SSE-S3), every kind of public access blocked, ACLs disabled (bucket owner enforced), only
 * reachable over TLS, old state versions expired after `noncurrentVersionDays`; Terraform
 * refuses to destroy or replace it (`prevent_destroy`).
 */
export class S3StateBucket extends Construct {
  /** The bucket. */
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: S3StateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    // Every stack's state lives here: a config change that would replace or delete it stops at plan.
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.name, forceDestroy: false, lifecycle: { preventDestroy: true }, provider });
    const bucket = this.bucket.id;
    new S3BucketVersioning(this, 'versioning', { bucket, versioningConfiguration: { status: 'Enabled' }, provider });
    new S3BucketServerSideEncryptionConfiguration(this, 'encryption', {
      bucket,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
      provider,
    });
    new S3BucketPublicAccessBlock(this, 'public-access', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
      provider,
    });
    new S3BucketOwnershipControls(this, 'ownership', { bucket, rule: { objectOwnership: 'BucketOwnerEnforced' }, provider });
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: [
        {
          id: 'expire-old-state-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrentVersionExpiration: [{ noncurrentDays: props.noncurrentVersionDays ?? 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
      provider,
    });
    const tlsOnly = new DataAwsIamPolicyDocument(this, 'tls-only', {
      statement: [
        {
          sid: 'DenyInsecureTransport',
          effect: 'Deny',
          principals: [{ type: '*', identifiers: ['*'] }],
          actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:ListBucket'],
          resources: [this.bucket.arn, `${this.bucket.arn}/*`],
          condition: [{ test: 'Bool', variable: 'aws:SecureTransport', values: ['false'] }],
        },
      ],
      provider,
    });
    new S3BucketPolicy(this, 'policy', { bucket, policy: tlsOnly.json, provider });
  }
}
