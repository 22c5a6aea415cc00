import { LoggingProjectBucketConfig } from '@cdktf/provider-google/lib/logging-project-bucket-config/index.js';
import { LoggingProjectSink } from '@cdktf/provider-google/lib/logging-project-sink/index.js';
import { Construct } from 'constructs';
import { cloudRunAuditFilter } from '../audit/audit-lines.js';

/** Props of {@link AuditLogBucket}. */
export interface AuditLogBucketProps {
  /** The GCP project. */
  readonly project: string;
  /** The Cloud Run service's name: the bucket and sink are named after it. */
  readonly serviceName: string;
  /** How long the bucket keeps the audit lines (1-3650 days; the API checks, the provider does not). */
  readonly retentionDays: number;
}

/**
 * Where Cloud Run's audit lines are kept for the audit's retention: a log bucket (`global`, never
 * locked, so a destroy can delete it) and a sink routing the service's audit lines to it. In
 * bootstrap, so the trail outlives the serving stack. A same-project bucket needs no grant to the
 * sink's writer identity. A deleted bucket is held for 7 days (DELETE_REQUESTED) and the provider
 * adopts it when asked to create it again, which fails: bootstrap undeletes it first.
 */
export class AuditLogBucket extends Construct {
  /** The bucket. */
  readonly bucket: LoggingProjectBucketConfig;
  /** The sink that routes the audit lines to it. */
  readonly sink: LoggingProjectSink;

  constructor(scope: Construct, id: string, props: AuditLogBucketProps) {
    super(scope, id);
    this.bucket = new LoggingProjectBucketConfig(this, 'bucket', {
      project: props.project,
      location: 'global',
      bucketId: auditBucketId(props.serviceName),
      retentionDays: props.retentionDays,
      description: `Audit lines of ${props.serviceName}: one per tool call`,
    });
    this.sink = new LoggingProjectSink(this, 'sink', {
      project: props.project,
      name: `${props.serviceName}-audit`,
      destination: `logging.googleapis.com/${this.bucket.id}`,
      filter: cloudRunAuditFilter(props.serviceName),
      // The provider's default; set so the plan matches what it reads back (provider issue 15266).
      uniqueWriterIdentity: true,
      description: `Routes ${props.serviceName}'s audit lines to ${auditBucketId(props.serviceName)}`,
    });
  }
}

/** The audit log bucket's id: `<service>-audit`. */
export function auditBucketId(serviceName: string): string {
  return `${serviceName}-audit`;
}
