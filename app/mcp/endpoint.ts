import type { AuthInfo } from '@modelcontextprotocol/server';
import type { Context, Handler } from 'hono';
import { auditFields, auditLine, type AuditRecord } from '../audit/audit-record.js';
import { auditCall, outcomeOf, type CallAnswer, type PendingAudit, type ToolCallAudit } from '../audit/tool-call-audit.js';
import type { AccessPolicy, CallerAccess, OfferedList } from '../auth/access-policy.js';
import type { AuthVariables } from '../auth/bearer-auth.js';
import { withRequestId } from '../http/access-log.js';
import type { McpVariables } from '../http/request-record.js';
import type { FastPath } from './fast-path.js';
import { BATCHING_PROTOCOL_VERSION, describeMessage, JsonRpcErrorCode, jsonRpcError } from './protocol.js';
import type { SdkPath, SdkPathOptions } from './sdk-path.js';

const JSON_CONTENT = { 'Content-Type': 'application/json' };

/** Options for {@link mcpEndpoint}. */
export interface McpEndpointOptions {
  /** How the official SDK serves what the fast path does not. */
  readonly sdk: SdkPathOptions;
  /**
   * Answers the common 2025-era requests without an SDK server; `undefined` hands a request to the SDK.
   * @default - every request goes to the SDK
   */
  readonly fastPath?: FastPath;
  /**
   * Where a tool, resource or prompt leads: its server and its own name there (for the log line, the
   * audit and the access rules).
   * @default - nowhere: no server named
   */
  readonly locate?: (list: OfferedList, outer: string) => Located | undefined;
  /**
   * The caller's access under the policy: a call to what the caller may not use is answered 403
   * `insufficient_scope` and never reaches a server.
   * @default - no access rules: every authenticated caller may call everything
   */
  readonly authorization?: { readonly access: CallerAccess; readonly policy: AccessPolicy };
  /**
   * Where each tool call is audited.
   * @default - not audited
   */
  readonly audit?: ToolCallAudit;
}

/** A name's server and the name it has there. */
export interface Located {
  readonly server: string;
  readonly inner: string;
}

/** The methods that use a server's tool, resource or prompt, and the list each name is in. */
const CALLS: Readonly<Record<string, { readonly list: OfferedList; readonly key: 'name' | 'uri' }>> = {
  'tools/call': { list: 'tools', key: 'name' },
  'resources/read': { list: 'resources', key: 'uri' },
  'prompts/get': { list: 'prompts', key: 'name' },
};

/** A JSON-RPC request as the endpoint reads it for the access rules and the audit. */
interface Message {
  readonly id?: unknown;
  readonly method?: unknown;
  readonly params?: { readonly name?: unknown; readonly uri?: unknown; readonly arguments?: unknown; readonly _meta?: unknown };
}

/**
 * The `POST /mcp` handler: MCP Streamable HTTP, stateless, JSON responses.
 *
 * The body is read and parsed once here (size already bounded by the body-limit
 * middleware), so that malformed JSON and batch arrays get a precise JSON-RPC error
 * and the logs can name the method and tool. The fast path answers the common
 * requests; everything else goes to the official SDK with a new server per request.
 * The SDK is loaded on first use, so a cold start that needs only the fast path
 * never pays for it.
 */
export function mcpEndpoint(options: McpEndpointOptions): Handler<{ Variables: McpVariables & AuthVariables }> {
  let sdk: Promise<SdkPath> | undefined;
  const loadSdk = () => (sdk ??= import('./sdk-path.js').then(({ createSdkPath }) => createSdkPath(options.sdk)));

  const { locate, authorization, audit } = options;
  /** The 403 for a message the caller may not use (`located`: where its name leads), or `undefined`. */
  const refusalOf = (message: Message, located: Located | undefined, authInfo: AuthInfo | undefined): Promise<Response> | undefined => {
    const call = CALLS[message.method as string]!;
    if (located === undefined || authorization!.access.allows(located.server, call.list, located.inner)) return undefined;
    const outer = message.params![call.key] as string;
    return authorization!.policy.refusal(authInfo, { server: located.server, list: call.list, name: located.inner, calledAs: outer, id: message.id });
  };
  /** Where a message's tool, resource or prompt leads, for a call to one (`undefined` for any other message). */
  const locateCall = (message: Message): Located | undefined => {
    const call = typeof message?.method === 'string' ? CALLS[message.method] : undefined;
    const outer = call === undefined ? undefined : message.params?.[call.key];
    return typeof outer === 'string' ? locate?.(call!.list, outer) : undefined;
  };
  const audited = (c: Context, message: Message, located: Located | undefined, authInfo: AuthInfo | undefined) => {
    const name = message.params!.name as string;
    const params = { name, arguments: message.params!.arguments, _meta: message.params!._meta };
    return { id: message.id, located, pending: auditCall(audit!, { requestId: c.get('requestId') ?? '', authInfo, header: (header) => c.req.header(header), params, located }) };
  };
  const outcome = (answer: CallAnswer, located: Located | undefined) => outcomeOf(answer, located === undefined || audit!.serverReady(located.server));
  /** Where a finished call's record goes: the request's access line for a lone call, a line of its own for a batch's. */
  const record = (c: Context, batch: boolean) => (finished: AuditRecord) => {
    if (batch) audit!.write(auditLine(finished));
    else c.set('auditFields', auditFields(finished));
  };

  return async (c) => {
    const parsed = await readJsonRpcBody(c);
    if (parsed instanceof Response) return parsed;
    const { mcpMethod, toolName } = describeMessage(parsed.body);
    c.set('mcpMethod', mcpMethod);
    c.set('toolName', toolName);
    const authInfo = c.get('authInfo');
    // A batch (2025-03-26 only) is taken apart; anything else is one message, located once.
    const messages = (Array.isArray(parsed.body) ? parsed.body : [parsed.body]) as Message[];
    const located = messages.map(locateCall);
    if (toolName !== undefined) c.set('server', located[0]?.server);
    if (authorization !== undefined) {
      for (const [index, message] of messages.entries()) {
        const refused = located[index] === undefined ? undefined : refusalOf(message, located[index], authInfo);
        if (refused === undefined) continue;
        if (audit !== undefined && message.method === 'tools/call') record(c, messages.length > 1)(audited(c, message, located[index], authInfo).pending.finish('refused'));
        return await refused;
      }
    }
    const audits =
      audit === undefined ? [] : messages.flatMap((message, index) => (message?.method === 'tools/call' && typeof message.params?.name === 'string' ? [audited(c, message, located[index], authInfo)] : []));
    const answer = options.fastPath?.(parsed.body, (name) => c.req.header(name), () => c.req.raw.signal);
    const fast = answer instanceof Promise ? await answer : answer;
    if (fast !== undefined) {
      for (const { located: where, pending } of audits) record(c, false)(pending.finish(outcome(fast.call ?? {}, where), pending.keepsResult && fast.json !== null ? fast.json : undefined));
      return new Response(fast.json, { status: fast.status, headers: withRequestId(c, fast.json === null ? {} : JSON_CONTENT) });
    }
    const response = await (await loadSdk())(c.req.raw, parsed.body, authInfo);
    if (audits.length > 0) await finishFromResponse(response, audits, outcome, record(c, Array.isArray(parsed.body)));
    return response;
  };
}

/** Finishes the audits of the SDK's answer: each call's outcome from its answer (by id), an HTTP error for all. */
async function finishFromResponse(
  response: Response,
  audits: ReadonlyArray<{ readonly id: unknown; readonly located: Located | undefined; readonly pending: PendingAudit }>,
  outcome: (answer: CallAnswer, located: Located | undefined) => ReturnType<typeof outcomeOf>,
  recorded: (finished: AuditRecord) => void,
): Promise<void> {
  let answers: Array<CallAnswer & { id?: unknown }> = [];
  try {
    const body = response.ok ? (JSON.parse(await response.clone().text()) as unknown) : undefined;
    answers = (Array.isArray(body) ? body : body === undefined ? [] : [body]) as typeof answers;
  } catch {
    // Not JSON: every call ended in an error.
  }
  for (const { id, located, pending } of audits) {
    const answered = answers.find((candidate) => candidate?.id === id) ?? { error: {} };
    recorded(pending.finish(outcome(answered, located), pending.keepsResult ? answered : undefined));
  }
}

/**
 * Reads the body as JSON, answering the faults the SDK would otherwise word
 * vaguely: wrong Content-Type (415), malformed JSON (400 / -32700), a batch array
 * (400 / -32600: batching was removed in 2025-06-18; a 2025-03-26 request may still batch).
 */
async function readJsonRpcBody(c: Context): Promise<{ body: unknown } | Response> {
  const contentType = c.req.header('content-type') ?? '';
  if (!/^application\/json\s*(;|$)/i.test(contentType)) {
    return jsonRpcError(415, JsonRpcErrorCode.ServerError, 'Unsupported Media Type: Content-Type must be application/json');
  }
  const text = await c.req.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return jsonRpcError(400, JsonRpcErrorCode.ParseError, 'Parse error: the request body is not valid JSON');
  }
  // 2025-03-26 allowed batches (and had no version header): the SDK serves those; later revisions removed them.
  const version = c.req.header('mcp-protocol-version');
  if (Array.isArray(body) && (version === undefined || version === BATCHING_PROTOCOL_VERSION)) return { body };
  if (Array.isArray(body)) {
    return jsonRpcError(
      400,
      JsonRpcErrorCode.InvalidRequest,
      'Invalid Request: JSON-RPC batches are not supported (removed in MCP 2025-06-18); send one message per request',
    );
  }
  return { body };
}
