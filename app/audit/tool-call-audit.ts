import type { AuthInfo } from '@modelcontextprotocol/server';
import { callerOf } from '../auth/caller.js';
import { BATCHING_PROTOCOL_VERSION, REQUEST_TIMEOUT } from '../mcp/protocol.js';
import type { ServerAuditOptions } from '../servers/server-list.js';
import { redacted, type AuditRecord, type CallOutcome } from './audit-record.js';

/** Where an endpoint's tool calls are audited, and what it needs to know of the servers. */
export interface ToolCallAudit {
  /** Where an audit line of its own goes (the log): a batch's calls, which share one access line. */
  readonly write: (line: string) => void;
  /** Whether a server is serving now: an error from one that is not is `server_down`. */
  readonly serverReady: (server: string) => boolean;
  /** What a server's config opts in to keeping (arguments, result, and what to redact). */
  readonly optionsOf: (server: string) => ServerAuditOptions | undefined;
}

/** A tool call's parts the audit reads from the request. */
export interface AuditedCall {
  readonly requestId: string;
  readonly authInfo: AuthInfo | undefined;
  readonly header: (name: string) => string | undefined;
  /** The call's params as sent. */
  readonly params: { readonly name: string; readonly arguments?: unknown; readonly _meta?: unknown };
  /** Where the name leads: the server and the tool's own name there (`undefined`: no server has it). */
  readonly located: { readonly server: string; readonly inner: string } | undefined;
}

/** A tool call's JSON-RPC answer as the audit reads it: a result (marked `isError` or not) or an error. */
export interface CallAnswer {
  readonly result?: { readonly isError?: unknown };
  readonly error?: { readonly code?: unknown };
}

const CLIENT_INFO = 'io.modelcontextprotocol/clientInfo';
const NO_FIELDS: ReadonlySet<string> = new Set();

/** A call being audited: finished once, with how it ended. */
export interface PendingAudit {
  /** The record: the outcome, and the JSON-RPC answer (a parsed one or its text) when the server keeps results. */
  readonly finish: (outcome: CallOutcome, answer?: string | CallAnswer) => AuditRecord;
  /** Whether the server keeps results: only then is the answer worth handing to {@link PendingAudit.finish}. */
  readonly keepsResult: boolean;
}

/** Starts auditing one tool call: the record's request parts now, the outcome when it ends. */
export function auditCall(audit: ToolCallAudit, call: AuditedCall): PendingAudit {
  const started = performance.now();
  const time = isoNow();
  const options = call.located === undefined ? undefined : audit.optionsOf(call.located.server);
  const fields = options === undefined ? NO_FIELDS : new Set(options.redact);
  const caller = callerOf(call.authInfo);
  const info = (call.params._meta as Record<string, { name?: unknown; version?: unknown } | undefined> | undefined)?.[CLIENT_INFO];
  const client = typeof info?.name === 'string' && typeof info.version === 'string' ? { name: info.name, version: info.version } : undefined;
  const userAgent = client === undefined ? call.header('user-agent') : undefined;
  return {
    keepsResult: options?.result === true,
    finish: (outcome, answer) => {
      const parsed = typeof answer === 'string' ? (JSON.parse(answer) as CallAnswer) : answer;
      // Every field given, `undefined` where there is none: the line leaves those out.
      return {
        time,
        requestId: call.requestId,
        caller,
        client,
        userAgent,
        revision: call.header('mcp-protocol-version') ?? BATCHING_PROTOCOL_VERSION,
        server: call.located?.server,
        tool: call.located?.inner ?? call.params.name,
        calledAs: call.params.name,
        outcome,
        durationMs: performance.now() - started,
        arguments: options?.arguments === true ? redacted(call.params.arguments ?? {}, fields) : undefined,
        result: options?.result === true && parsed !== undefined ? redacted(parsed.result ?? parsed.error, fields) : undefined,
      };
    },
  };
}

let lastMs = 0;
let lastIso = '';
/** The time now, ISO 8601: formatted once per millisecond (calls arrive many to a millisecond under load). */
function isoNow(): string {
  const now = Date.now();
  if (now !== lastMs) {
    lastMs = now;
    lastIso = new Date(now).toISOString();
  }
  return lastIso;
}

/** How a call ended, from its JSON-RPC answer: a result (marked `isError` or not), or an error of a server up or down. */
export function outcomeOf(answer: CallAnswer, serverReady: boolean): CallOutcome {
  if (answer.result !== undefined) return answer.result.isError === true ? 'tool_error' : 'ok';
  if (answer.error?.code === REQUEST_TIMEOUT) return 'timeout';
  return serverReady ? 'error' : 'server_down';
}
