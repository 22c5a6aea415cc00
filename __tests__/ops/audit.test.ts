// `npm run audit`: both clouds' audit lines merged by time, read through the official clients with
// the SDKs' own mocking (aws-sdk-client-mock for CloudWatch Logs; the Google client's own stub
// point, its `loggingService.listLogEntries`, which the library's tests stub too), and a real log
// file the real Node entry wrote.
import { CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { Logging } from '@google-cloud/logging';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'node:crypto';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startNodeServer } from '../../app/node.js';
import { auditOutput, parseAuditArgs, parseSince, readAudit, type AuditClients } from '../../ops/audit.js';
import { postMcp } from '../support/node-server.js';
import { exampleConfig } from '../support/synth.js';

const folder = mkdtempSync(join(tmpdir(), 'audit-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));
const quiet = { progress: () => undefined, result: () => undefined };

/** A JSON value as a protobuf Struct value, as the Logging API's gRPC client decodes `jsonPayload` (the oneof's `kind` named). */
function structValue(value: unknown): object {
  const kind = (name: string, inner: unknown) => ({ kind: name, [name]: inner });
  if (value === null) return kind('nullValue', 'NULL_VALUE');
  if (typeof value === 'string') return kind('stringValue', value);
  if (typeof value === 'number') return kind('numberValue', value);
  if (typeof value === 'boolean') return kind('boolValue', value);
  if (Array.isArray(value)) return kind('listValue', { values: value.map(structValue) });
  return kind('structValue', struct(value as Record<string, unknown>));
}
const struct = (value: Record<string, unknown>) => ({ fields: Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, structValue(inner)])) });

/** An audit record as the bridge writes it (Cloud Logging takes `time` out of the payload). */
const record = (tool: string, outcome: string, caller: object, time: string) => ({
  severity: 'INFO',
  message: `audit tools/call ${tool} ${outcome}`,
  type: 'audit',
  time,
  requestId: `r-${tool}-${time}`,
  caller,
  revision: '2025-11-25',
  server: 'memory',
  tool,
  calledAs: `memory_${tool}`,
  outcome,
  durationMs: 3.25,
});

const environmentsFile = join(folder, 'environments.json');
writeFileSync(environmentsFile, JSON.stringify(exampleConfig()));

describe('npm run audit against both clouds (the SDKs\' own mocking)', () => {
  const cloudWatch = mockClient(CloudWatchLogsClient);
  afterEach(() => cloudWatch.reset());

  /** A Logging client whose listLogEntries answers `entries`, recording each request. */
  const loggingAnswering = (entries: object[], requests: unknown[]) => {
    const logging = new Logging({ projectId: 'example-mcp-staging', credentials: { client_email: 'audit-test@example.iam.gserviceaccount.com', private_key: 'unused' } });
    logging.loggingService.listLogEntries = (async (request: unknown) => {
      requests.push(request);
      return [entries, null, {}];
    }) as never;
    return logging;
  };
  const googleEntry = (value: ReturnType<typeof record>) => {
    const { time, ...payload } = value;
    const ms = Date.parse(time);
    return { payload: 'jsonPayload', jsonPayload: struct(payload), timestamp: { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 }, severity: 'INFO' };
  };

  it('reads the audit bucket and every region\'s log group (every page), and merges them by time', async () => {
    const requests: unknown[] = [];
    const logging = loggingAnswering(
      [googleEntry(record('read_graph', 'ok', { token: 'research' }, '2026-12-07T10:00:01.000Z')), googleEntry(record('search_nodes', 'refused', { token: 'support' }, '2026-12-07T10:00:03.000Z'))],
      requests,
    );
    const line = (value: object) => ({ message: JSON.stringify(value), timestamp: 0 });
    cloudWatch
      .on(FilterLogEventsCommand)
      .resolvesOnce({ events: [], nextToken: 'page-2' })
      .resolvesOnce({ events: [line(record('create_entities', 'timeout', { token: 'research' }, '2026-12-07T10:00:02.000Z')), { message: 'START RequestId: x', timestamp: 0 }] });
    const clients: AuditClients = { logging: () => logging, cloudWatchLogs: () => new CloudWatchLogsClient({ region: 'eu-west-1' }) };
    const command = parseAuditArgs(['staging', '--since', '2026-12-07T09:00:00Z']);
    const { entries, unread } = await readAudit(command, { environmentsFile, clients, output: quiet });

    expect(unread).toEqual([]);
    expect(entries.map((entry) => [entry.source, entry.record.tool, entry.record.outcome, entry.time.toISOString()])).toEqual([
      ['gcp', 'read_graph', 'ok', '2026-12-07T10:00:01.000Z'],
      ['aws eu-west-1', 'create_entities', 'timeout', '2026-12-07T10:00:02.000Z'],
      ['gcp', 'search_nodes', 'refused', '2026-12-07T10:00:03.000Z'],
    ]);
    expect(requests).toEqual([
      expect.objectContaining({
        resourceNames: ['projects/example-mcp-staging/locations/global/buckets/mcp-bridge-staging-audit/views/_AllLogs'],
        filter: 'resource.type="cloud_run_revision" AND resource.labels.service_name="mcp-bridge-staging" AND jsonPayload.type="audit" AND timestamp>="2026-12-07T09:00:00.000Z"',
        orderBy: 'timestamp asc',
      }),
    ]);
    const calls = cloudWatch.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input);
    expect(calls).toEqual([
      { logGroupName: '/aws/lambda/mcp-bridge-staging', filterPattern: '{ $.type = "audit" }', startTime: Date.parse('2026-12-07T09:00:00Z') },
      { logGroupName: '/aws/lambda/mcp-bridge-staging', filterPattern: '{ $.type = "audit" }', startTime: Date.parse('2026-12-07T09:00:00Z'), nextToken: 'page-2' },
    ]);

    const table = auditOutput(entries, false).split('\n');
    expect(table[0]).toMatch(/^time\s+cloud\s+caller\s+client\s+revision\s+server\s+tool\s+outcome\s+ms$/);
    expect(table[2]).toMatch(/^2026-12-07T10:00:02\.000Z\s+aws eu-west-1\s+research\s+-\s+2025-11-25\s+memory\s+create_entities\s+timeout\s+3\.3$/);
    const json = auditOutput(entries, true).split('\n').map((text) => JSON.parse(text));
    expect(json.map((entry) => [entry.cloud, entry.tool, entry.time])).toEqual([
      ['gcp', 'read_graph', '2026-12-07T10:00:01.000Z'],
      ['aws eu-west-1', 'create_entities', '2026-12-07T10:00:02.000Z'],
      ['gcp', 'search_nodes', '2026-12-07T10:00:03.000Z'],
    ]);
  });

  it('filters by tool (its own name or the one it was called by) and by caller', async () => {
    const logging = loggingAnswering([googleEntry(record('read_graph', 'ok', { token: 'research' }, '2026-12-07T10:00:01.000Z')), googleEntry(record('read_graph', 'ok', { sub: 'user-1', clientId: 'desk' }, '2026-12-07T10:00:02.000Z'))], []);
    cloudWatch.on(FilterLogEventsCommand).resolves({ events: [] });
    const clients: AuditClients = { logging: () => logging, cloudWatchLogs: () => new CloudWatchLogsClient({ region: 'eu-west-1' }) };
    const read = async (...args: string[]) => (await readAudit(parseAuditArgs(['staging', '--since', '2026-12-07T00:00:00Z', ...args]), { environmentsFile, clients, output: quiet })).entries.map((entry) => entry.time.toISOString());
    expect(await read('--tool', 'memory_read_graph')).toHaveLength(2);
    expect(await read('--tool', 'read_graph', '--caller', 'research')).toEqual(['2026-12-07T10:00:01.000Z']);
    expect(await read('--caller', 'desk')).toEqual(['2026-12-07T10:00:02.000Z']);
    expect(await read('--caller', 'user-1')).toEqual(['2026-12-07T10:00:02.000Z']);
    expect(await read('--tool', 'nope')).toEqual([]);
  });

  it('still reads the other cloud when one cannot be read, and names what it could not read', async () => {
    const logging = new Logging({ projectId: 'example-mcp-staging', credentials: { client_email: 'audit-test@example.iam.gserviceaccount.com', private_key: 'unused' } });
    logging.loggingService.listLogEntries = (async () => {
      throw new Error('7 PERMISSION_DENIED: Permission denied for bucket mcp-bridge-staging-audit');
    }) as never;
    cloudWatch.on(FilterLogEventsCommand).resolves({ events: [{ message: JSON.stringify(record('read_graph', 'ok', { token: 'research' }, '2026-12-07T10:00:01.000Z')) }] });
    const results: string[] = [];
    const { entries, unread } = await readAudit(parseAuditArgs(['staging', '--since', '2026-12-07T00:00:00Z']), {
      environmentsFile,
      clients: { logging: () => logging, cloudWatchLogs: () => new CloudWatchLogsClient({ region: 'eu-west-1' }) },
      output: { progress: () => undefined, result: (line) => results.push(line) },
    });
    expect(entries).toHaveLength(1);
    expect(unread).toEqual(["read Cloud Run's audit lines: 7 PERMISSION_DENIED: Permission denied for bucket mcp-bridge-staging-audit"]);
    expect(results[0]).toMatch(/^\[1\/2\] read Cloud Run's audit lines: could not read: 7 PERMISSION_DENIED.*roles\/logging\.viewAccessor on mcp-bridge-staging-audit/);
    expect(results[1]).toMatch(/^\[2\/2\] read the Lambda's audit lines in eu-west-1: 1 audit line\(s\)/);
  });
});

describe('npm run audit --file, against a log the real Node entry wrote', () => {
  const log = join(folder, 'bridge.log');
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
    const running = await startNodeServer(
      {
        PORT: '0',
        MCP_AUTH_MODE: 'token',
        MCP_TOKEN_SHA256: `research:${sha256('tok-research')},support:${sha256('tok-support')}`,
        MCP_ACCESS: JSON.stringify({ default: 'deny', grants: [{ server: 'builtin', tokens: ['research'] }, { server: 'builtin', tools: ['health_check'], tokens: ['support'] }] }),
      },
      (line) => appendFileSync(log, `${line}\n`),
    );
    const url = new URL(`http://127.0.0.1:${running.port}/mcp`);
    const call = (token: string, name: string, args: object) => postMcp(url, JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }), { authorization: `Bearer ${token}` });
    await call('tok-research', 'process_data', { operation: 'analyze', data: { n: [1] } });
    await call('tok-support', 'process_data', { operation: 'analyze', data: {} });
    await call('tok-support', 'health_check', {});
    stop = () => new Promise((resolve) => running.server.close(() => resolve()));
  });
  afterAll(() => stop());

  it('prints every tool call of the file, merged by time, filtered as asked', async () => {
    const read = async (...args: string[]) => (await readAudit(parseAuditArgs(['--file', log, ...args]), { environmentsFile, clients: {} as AuditClients, output: quiet })).entries;
    const all = await read();
    expect(all.map(({ source, record: { caller, tool, outcome } }) => [source, caller, tool, outcome])).toEqual([
      ['local', { token: 'research' }, 'process_data', 'ok'],
      ['local', { token: 'support' }, 'process_data', 'refused'],
      ['local', { token: 'support' }, 'health_check', 'ok'],
    ]);
    expect((await read('--caller', 'support', '--tool', 'process_data')).map((entry) => entry.record.outcome)).toEqual(['refused']);
    expect(auditOutput(await read('--since', '2099-01-01'), false)).toBe('no tool calls match');
  });
});

describe('npm run audit arguments', () => {
  const now = new Date('2026-12-07T12:00:00Z');
  it('takes an age or a moment for --since', () => {
    expect(parseSince('30m', now).toISOString()).toBe('2026-12-07T11:30:00.000Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-11-30T12:00:00.000Z');
    expect(parseSince('2026-12-01T09:00:00Z', now).toISOString()).toBe('2026-12-01T09:00:00.000Z');
    expect(parseAuditArgs(['staging'], now).filter.since.toISOString()).toBe('2026-12-07T11:00:00.000Z');
  });

  it.each<[string[], RegExp]>([
    [[], /name the environment whose audit to read, or give --file <log>/],
    [['staging', 'production'], /one environment at a time \(got staging, production\)/],
    [['staging', '--file', 'x.log'], /read one environment or one --file, not both/],
    [['staging', '--since', 'yesterday'], /--since yesterday: an age such as 30m, 1h or 7d, or a moment/],
    [['staging', '--since', '5w'], /--since 5w:/],
    [['staging', '--color'], /Unknown option '--color'/],
  ])('refuses %j, naming what is wrong', (args, message) => {
    expect(() => parseAuditArgs(args, now)).toThrowError(message);
  });
});
