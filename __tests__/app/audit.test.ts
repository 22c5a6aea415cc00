// The audit trail through the real Node entry: one JSON line per tool call, checked field by field
// for each outcome, with a server that opts in to keeping arguments and results (redacted) beside
// one that does not.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLine, redacted, REDACTED } from '../../app/audit/audit-record.js';
import { connectClient, postMcp, startTestServer, type TestServer } from '../support/node-server.js';
import { STDIO_SERVERS, writeServersFile, type ServersFile } from '../support/servers-file.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TOKEN = 'audited-token-Zr8';
const auth = { authorization: `Bearer ${TOKEN}` };

let servers: ServersFile;
let bridge: TestServer;
beforeAll(async () => {
  servers = writeServersFile({
    tools: { builtin: {}, audit: { arguments: true, result: true, redact: ['password', 'userName'] } },
    odd: STDIO_SERVERS.misbehaving(),
  });
  bridge = await startTestServer({
    MCP_SERVERS_FILE: servers.file,
    MCP_AUTH_MODE: 'token',
    MCP_TOKEN_SHA256: `team-a:${sha256(TOKEN)}`,
    MCP_TOOL_TIMEOUT_MS: '300',
    MCP_ACCESS: JSON.stringify({ default: 'allow', grants: [{ server: 'odd', tools: ['flood'], tokens: ['team-b'] }] }),
  });
}, 60_000);
afterAll(async () => {
  await bridge.close();
  servers.remove();
});

/** Makes one call with its own request id and returns the audit line it wrote. */
async function audited(name: string, args: Record<string, unknown>, headers: Record<string, string> = {}) {
  const requestId = `audit-${Math.random().toString(36).slice(2)}`;
  await postMcp(bridge.mcpUrl, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }), { ...auth, 'x-request-id': requestId, ...headers });
  const lines = bridge.logs.map((line) => JSON.parse(line)).filter((entry) => entry.type === 'audit' && entry.requestId === requestId);
  expect(lines).toHaveLength(1);
  return lines[0];
}

describe('one audit line per tool call', () => {
  it('records an ok call field by field, its arguments and result kept with the configured fields redacted', async () => {
    const line = await audited('tools_process_data', { operation: 'transform', data: { user_name: ' Ada ', password: 'hunter2', note: 'kept' } }, { 'user-agent': 'audit-test/1.0' });
    // The request's access line is its audit line: one line per call.
    expect(Object.keys(line).sort()).toEqual(['arguments', 'calledAs', 'caller', 'durationMs', 'httpRequest', 'mcpMethod', 'message', 'outcome', 'requestId', 'result', 'revision', 'server', 'severity', 'time', 'tool', 'toolName', 'type', 'userAgent'].sort());
    expect(bridge.logs.filter((text) => text.includes(line.requestId))).toHaveLength(1);
    expect(line).toMatchObject({
      severity: 'INFO',
      message: 'POST /mcp 200 tools_process_data',
      type: 'audit',
      caller: { token: 'team-a' },
      userAgent: 'audit-test/1.0',
      revision: '2025-11-25',
      server: 'tools',
      tool: 'process_data',
      calledAs: 'tools_process_data',
      outcome: 'ok',
      arguments: { operation: 'transform', data: { user_name: ' Ada ', password: REDACTED, note: 'kept' } },
    });
    expect(line.result.structuredContent.result).toEqual({ userName: REDACTED, password: REDACTED, note: 'kept' });
    expect(Date.parse(line.time)).toBeGreaterThan(Date.now() - 60_000);
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.stringify(line)).not.toContain('hunter2');
  });

  it('records a tool error', async () => {
    const line = await audited('tools_process_data', { operation: 'nope' });
    expect(line).toMatchObject({ outcome: 'tool_error', server: 'tools', tool: 'process_data', severity: 'INFO' });
    expect(line.result.isError).toBe(true);
  });

  it('keeps neither arguments nor results of a server that does not opt in', async () => {
    const line = await audited('odd_echo', { n: 7, secret: 'never-logged' });
    expect(line).toMatchObject({ outcome: 'ok', server: 'odd', tool: 'echo', calledAs: 'odd_echo' });
    expect(line).not.toHaveProperty('arguments');
    expect(line).not.toHaveProperty('result');
    expect(bridge.logs.filter((entry) => JSON.parse(entry).type === 'audit').join('\n')).not.toContain('never-logged');
  });

  it('records a refusal', async () => {
    const line = await audited('odd_flood', { n: 1 });
    expect(line).toMatchObject({ outcome: 'refused', severity: 'WARNING', httpRequest: { status: 403 }, server: 'odd', tool: 'flood', caller: { token: 'team-a' } });
  });

  it('records a timeout', async () => {
    const line = await audited('odd_hang', {});
    expect(line).toMatchObject({ outcome: 'timeout', server: 'odd', tool: 'hang' });
    expect(line.durationMs).toBeGreaterThanOrEqual(250);
  });

  it('records a server down (it exits while answering)', async () => {
    const line = await audited('odd_crash', {});
    expect(line).toMatchObject({ outcome: 'server_down', server: 'odd', tool: 'crash' });
    // Wait for the restart, so the next tests find it serving.
    for (let tries = 0; tries < 100 && (await fetch(new URL('/health', bridge.url))).status !== 200; tries++) await new Promise((resolve) => setTimeout(resolve, 100));
  });

  it('records an error: a tool no server has', async () => {
    const line = await audited('odd_no_such_tool', {});
    expect(line).toMatchObject({ outcome: 'error', tool: 'odd_no_such_tool', calledAs: 'odd_no_such_tool' });
    expect(line).not.toHaveProperty('server');
  });

  it('writes a line of its own for each call of a 2025-03-26 batch, which share one access line', async () => {
    const requestId = 'audit-batch';
    const batch = [1, 2].map((id) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name: 'odd_echo', arguments: { n: id } } }));
    const res = await fetch(bridge.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'x-request-id': requestId, ...auth }, body: JSON.stringify(batch) });
    expect(res.status).toBe(200);
    const lines = bridge.logs.map((text) => JSON.parse(text)).filter((entry) => entry.requestId === requestId);
    expect(lines.filter((entry) => entry.type === 'audit').map((entry) => [entry.tool, entry.outcome, entry.revision, entry.message])).toEqual([
      ['echo', 'ok', '2025-03-26', 'audit tools/call odd_echo ok'],
      ['echo', 'ok', '2025-03-26', 'audit tools/call odd_echo ok'],
    ]);
    expect(lines.filter((entry) => entry.httpRequest !== undefined)).toEqual([expect.not.objectContaining({ type: 'audit' })]);
  });

  it('names the client of a 2026-07-28 request by its envelope', async () => {
    const client = await connectClient(bridge.mcpUrl, 'modern', 'desk-agent', auth);
    try {
      await client.callTool({ name: 'odd_echo', arguments: { n: 1 } });
    } finally {
      await client.close();
    }
    const line = bridge.logs.map((entry) => JSON.parse(entry)).filter((entry) => entry.type === 'audit' && entry.revision === '2026-07-28').at(-1);
    expect(line).toMatchObject({ client: { name: 'desk-agent', version: '1.0.0' }, outcome: 'ok', tool: 'echo' });
    expect(line).not.toHaveProperty('userAgent');
  });
});

describe('audit records', () => {
  it('redact named fields at any depth, in arrays too, and nothing else', () => {
    expect(redacted({ a: 1, token: 'x', nested: [{ token: { deep: 1 } }, 'token'] }, new Set(['token']))).toEqual({ a: 1, token: REDACTED, nested: [{ token: REDACTED }, 'token'] });
    // A text block repeating the structured result as JSON is redacted inside; other text is left alone.
    expect(redacted({ content: [{ type: 'text', text: '{"token":"x","n":1}' }, { type: 'text', text: 'token x' }] }, new Set(['token']))).toEqual({
      content: [{ type: 'text', text: '{"token":"[redacted]","n":1}' }, { type: 'text', text: 'token x' }],
    });
  });

  it('write exactly the record\'s fields as JSON, escaping what needs it, leaving out what is undefined', () => {
    const full = {
      time: '2026-12-07T10:00:00.000Z',
      requestId: 'r"1',
      caller: { sub: 'user\n1', clientId: 'desk' },
      client: { name: 'agent "x"', version: '1.0' },
      userAgent: undefined,
      revision: '2026-07-28',
      server: 'notes',
      tool: 'add_note',
      calledAs: 'notes_add_note',
      outcome: 'ok' as const,
      durationMs: 2.5,
      arguments: { text: 'a\u2028b', n: [1, null] },
      result: { content: [] },
    };
    const { userAgent: _none, ...present } = full;
    expect(JSON.parse(auditLine(full))).toEqual({ severity: 'INFO', message: 'audit tools/call notes_add_note ok', type: 'audit', ...present });
    expect(JSON.parse(auditLine({ ...full, caller: { token: 'team-a' }, client: undefined, server: undefined, arguments: undefined, result: undefined }))).not.toHaveProperty('server');
  });

  it('write one JSON line with a severity for each outcome', () => {
    const record = { time: 't', requestId: 'r', revision: '2025-11-25', tool: 'x', calledAs: 'x', durationMs: 1.23456 };
    const severities = (['ok', 'tool_error', 'refused', 'timeout', 'server_down', 'error'] as const).map((outcome) => JSON.parse(auditLine({ ...record, outcome })).severity);
    expect(severities).toEqual(['INFO', 'INFO', 'NOTICE', 'WARNING', 'WARNING', 'WARNING']);
    expect(JSON.parse(auditLine({ ...record, outcome: 'ok' })).durationMs).toBe(1.235);
  });
});
