import { FilterLogEventsCommand, type CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Logging } from '@google-cloud/logging';
import { readFile } from 'node:fs/promises';
import { AUDIT_LINE_TYPE } from '../../app/audit/audit-record.js';
import { auditRecordOf, type AuditEntry } from './audit-entries.js';

/** The most entries read from one source: a bound on memory, named in the output when it is reached. */
export const MAX_ENTRIES_PER_SOURCE = 100_000;

/**
 * The audit lines Cloud Run wrote since `since`, from the audit log bucket (its `_AllLogs` view),
 * through the official client. Cloud Logging takes a line's `time` as the entry's timestamp (and out
 * of its payload): the time is the entry's.
 */
export async function googleAuditEntries(logging: Logging, options: { readonly project: string; readonly bucket: string; readonly serviceName: string; readonly since: Date }): Promise<AuditEntry[]> {
  // Credentials first: without them the client's gRPC set-up rejects promises nobody holds, which end the process.
  await logging.auth.getClient().catch((error: Error) => {
    throw new Error(`no Google credentials (${error.message.split('.')[0]})`);
  });
  const [entries] = await logging.getEntries({
    resourceNames: [`projects/${options.project}/locations/global/buckets/${options.bucket}/views/_AllLogs`],
    filter: `resource.type="cloud_run_revision" AND resource.labels.service_name="${options.serviceName}" AND jsonPayload.type="${AUDIT_LINE_TYPE}" AND timestamp>="${options.since.toISOString()}"`,
    orderBy: 'timestamp asc',
    maxResults: MAX_ENTRIES_PER_SOURCE,
  });
  return entries.flatMap((entry) => {
    const record = auditRecordOf(entry.data);
    const timestamp = entry.metadata.timestamp;
    const time = timestamp instanceof Date ? timestamp : new Date(typeof timestamp === 'string' ? timestamp : String(record?.time));
    return record === undefined ? [] : [{ source: 'gcp', time, record: { ...record, time: time.toISOString() } }];
  });
}

/** The audit lines a Lambda wrote since `since`, from its log group (every page), through the official client of its region. */
export async function awsAuditEntries(client: CloudWatchLogsClient, options: { readonly region: string; readonly logGroup: string; readonly since: Date }): Promise<AuditEntry[]> {
  const found: AuditEntry[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(
      new FilterLogEventsCommand({ logGroupName: options.logGroup, filterPattern: `{ $.type = "${AUDIT_LINE_TYPE}" }`, startTime: options.since.getTime(), ...(nextToken === undefined ? {} : { nextToken }) }),
    );
    for (const event of page.events ?? []) {
      const record = auditRecordOf(parsed(event.message ?? ''));
      if (record !== undefined) found.push({ source: `aws ${options.region}`, time: new Date(record.time ?? event.timestamp ?? 0), record });
    }
    // A page may be empty while more follow: only a missing token ends the search.
    nextToken = page.nextToken;
  } while (nextToken !== undefined && found.length < MAX_ENTRIES_PER_SOURCE);
  return found;
}

/** The audit lines of a log file the bridge wrote (one JSON line each; other lines are skipped). */
export async function fileAuditEntries(path: string): Promise<AuditEntry[]> {
  const text = await readFile(path, 'utf8');
  return text.split('\n').flatMap((line) => {
    const record = auditRecordOf(parsed(line));
    return record === undefined ? [] : [{ source: 'local', time: new Date(record.time), record }];
  });
}

/** A line's JSON, or `undefined` when it is not JSON. */
function parsed(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return undefined;
  }
}
