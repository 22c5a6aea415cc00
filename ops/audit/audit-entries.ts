import type { AuditRecord } from '../../app/audit/audit-record.js';

/** One audit line as `npm run audit` shows it: the record, and where it was read. */
export interface AuditEntry {
  /** Where it was read: `gcp`, `aws <region>`, or the local file. */
  readonly source: string;
  /** When the call arrived. */
  readonly time: Date;
  readonly record: AuditRecord;
}

/** What to keep of the entries read. */
export interface AuditFilter {
  /** Calls that arrived at or after this moment. */
  readonly since: Date;
  /** Calls of this tool: its own name or the name it was called by. */
  readonly tool?: string;
  /** Calls by this caller: a token's name, an OAuth token's `sub` or its client id. */
  readonly caller?: string;
}

/** The audit record a log line holds, or `undefined` for any other line (the access log, the servers' stderr, noise). */
export function auditRecordOf(value: unknown): AuditRecord | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Partial<AuditRecord> & { type?: unknown };
  return record.type === 'audit' && typeof record.tool === 'string' && typeof record.outcome === 'string' ? (record as AuditRecord) : undefined;
}

/** Whether an entry passes the filter. */
export function matches(entry: AuditEntry, filter: AuditFilter): boolean {
  if (entry.time < filter.since) return false;
  if (filter.tool !== undefined && entry.record.tool !== filter.tool && entry.record.calledAs !== filter.tool) return false;
  if (filter.caller === undefined) return true;
  const caller = entry.record.caller;
  if (caller === undefined) return false;
  return 'token' in caller ? caller.token === filter.caller : caller.sub === filter.caller || caller.clientId === filter.caller;
}

/** Every source's entries that pass the filter, as one list in time order (the earliest first). */
export function mergedEntries(sources: ReadonlyArray<readonly AuditEntry[]>, filter: AuditFilter): AuditEntry[] {
  return sources
    .flat()
    .filter((entry) => matches(entry, filter))
    .sort((a, b) => a.time.getTime() - b.time.getTime());
}

/** The caller as one cell: the token's name, or `sub (client)`. */
function callerCell(record: AuditRecord): string {
  const caller = record.caller;
  if (caller === undefined) return '-';
  if ('token' in caller) return caller.token;
  return caller.sub === undefined ? caller.clientId : `${caller.sub} (${caller.clientId})`;
}

/** The entries as an aligned table: time, where, caller, client, revision, server, tool, outcome, duration. */
export function auditTable(entries: readonly AuditEntry[]): string {
  const header = ['time', 'cloud', 'caller', 'client', 'revision', 'server', 'tool', 'outcome', 'ms'];
  const rows = entries.map(({ source, time, record }) => [
    time.toISOString(),
    source,
    callerCell(record),
    record.client === undefined ? (record.userAgent ?? '-') : `${record.client.name} ${record.client.version}`,
    record.revision,
    record.server ?? '-',
    record.tool,
    record.outcome,
    record.durationMs.toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  return [header, ...rows].map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n');
}
