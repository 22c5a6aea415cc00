import type { Caller } from '../auth/caller.js';
import { jsonString } from '../http/json-string.js';

/** How a tool call ended, as the audit records it. */
export type CallOutcome =
  /** The tool answered with its result. */
  | 'ok'
  /** The tool answered with a result marked `isError`. */
  | 'tool_error'
  /** The caller may not call it: answered 403, never sent to the server. */
  | 'refused'
  /** The server did not answer within the bridge's timeout. */
  | 'timeout'
  /** The server was not serving (starting, restarting, exited while answering). */
  | 'server_down'
  /** Any other JSON-RPC error: an unknown tool, bad arguments, the server's own error. */
  | 'error';

/** The marker of an audit line (`"type":"audit"`): what the clouds' sinks, metric filters and `npm run audit` select on. */
export const AUDIT_LINE_TYPE = 'audit';

/** One tool call, as its audit line holds it. Never the arguments or the result unless the server's config opts in. */
export interface AuditRecord {
  /** When the call arrived, ISO 8601. */
  readonly time: string;
  readonly requestId: string;
  /** Who called (absent in auth mode `none`). */
  readonly caller?: Caller | undefined;
  /** The client's name and version (2026-07-28 requests carry them; 2025-era ones give the User-Agent instead). */
  readonly client?: { readonly name: string; readonly version: string } | undefined;
  /** The client's User-Agent, when the request does not name the client. */
  readonly userAgent?: string | undefined;
  /** The protocol revision of the request. */
  readonly revision: string;
  /** The server the tool belongs to (`undefined` for a tool no server has). */
  readonly server?: string | undefined;
  /** The tool's name as its server knows it. */
  readonly tool: string;
  /** The name the client called it by (`<server>_<tool>` at `/mcp` with several servers). */
  readonly calledAs: string;
  readonly outcome: CallOutcome;
  readonly durationMs: number;
  /** The arguments, redacted, when the server's config opts in. */
  readonly arguments?: unknown;
  /** The result (or the error), redacted, when the server's config opts in. */
  readonly result?: unknown;
}

/**
 * A record's fields after the line's own (`severity`, `message`, `requestId`, `server`), as JSON text
 * to append to a line: `,"type":"audit","time":…`. Byte for byte what `JSON.stringify` writes for
 * them (those `undefined` left out), written as one template: one per tool call, on the hot path.
 * The access log appends them to its line for the request, so a tool call costs one line.
 */
export function auditFields(record: AuditRecord): string {
  const { caller, client } = record;
  const callerJson =
    caller === undefined
      ? ''
      : 'token' in caller
        ? `,"caller":{"token":${jsonString(caller.token)}}`
        : `,"caller":{${caller.sub === undefined ? '' : `"sub":${jsonString(caller.sub)},`}"clientId":${jsonString(caller.clientId)}}`;
  return (
    `,"type":"${AUDIT_LINE_TYPE}","time":"${record.time}"${callerJson}` +
    `${client === undefined ? '' : `,"client":{"name":${jsonString(client.name)},"version":${jsonString(client.version)}}`}${record.userAgent === undefined ? '' : `,"userAgent":${jsonString(record.userAgent)}`}` +
    `,"revision":${jsonString(record.revision)},"tool":${jsonString(record.tool)},"calledAs":${jsonString(record.calledAs)},"outcome":"${record.outcome}","durationMs":${Math.round(record.durationMs * 1000) / 1000}` +
    `${record.arguments === undefined ? '' : `,"arguments":${JSON.stringify(record.arguments)}`}${record.result === undefined ? '' : `,"result":${JSON.stringify(record.result)}`}`
  );
}

/**
 * A record as a line of its own, in Cloud Logging's structured format (`severity`, `message`), read
 * by CloudWatch alike: for the calls of a 2025-03-26 batch, which share one request's access line.
 */
export function auditLine(record: AuditRecord): string {
  const { outcome } = record;
  const severity = outcome === 'ok' || outcome === 'tool_error' ? 'INFO' : outcome === 'refused' ? 'NOTICE' : 'WARNING';
  return `{"severity":"${severity}","message":${jsonString(`audit tools/call ${record.calledAs} ${outcome}`)},"requestId":${jsonString(record.requestId)}${record.server === undefined ? '' : `,"server":${jsonString(record.server)}`}${auditFields(record)}}`;
}

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]';

/**
 * A copy of `value` with the value of every field named in `fields`, at any depth, replaced by
 * {@link REDACTED}. Field names match exactly. A string holding a JSON object or array (a tool's text
 * block that repeats its structured result) is redacted inside and written again.
 */
export function redacted(value: unknown, fields: ReadonlySet<string>): unknown {
  if (typeof value === 'string') return redactedJsonText(value, fields);
  if (Array.isArray(value)) return value.map((item) => redacted(item, fields));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, fields.has(key) ? REDACTED : redacted(inner, fields)]));
}

/** A string as it is, or, when it is a JSON object or array, that JSON redacted. */
function redactedJsonText(text: string, fields: ReadonlySet<string>): string {
  const start = text.trimStart()[0];
  if (fields.size === 0 || (start !== '{' && start !== '[')) return text;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return JSON.stringify(redacted(parsed, fields));
}
