// `npm run audit -- <env> [--since 1h] [--tool T] [--caller C] [--json]`: the audit lines of both
// clouds (the Cloud Logging audit bucket, each region's Lambda log group), merged by time into one
// table or JSON. `npm run audit -- --file <log>` reads a log the bridge wrote locally instead.
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { Logging } from '@google-cloud/logging';
import { fileURLToPath } from 'node:url';
import { auditBucketId } from '../stacks/bootstrap/audit-log-bucket.js';
import { lambdaFunctionName, resourceName } from '../stacks/naming.js';
import { auditTable, mergedEntries, type AuditEntry, type AuditFilter } from './audit/audit-entries.js';
import { awsAuditEntries, fileAuditEntries, googleAuditEntries, MAX_ENTRIES_PER_SOURCE } from './audit/audit-sources.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { parseCommandLine } from './runner/command-line.js';
import type { StepLogOutput } from './runner/step-log.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

/** What `npm run audit` was asked. */
export interface AuditCommand {
  /** The environment whose clouds to read, or a local log file. */
  readonly from: { readonly environment: string } | { readonly file: string };
  readonly filter: AuditFilter;
  /** One JSON object per line instead of the table. */
  readonly json: boolean;
  readonly help: boolean;
}

/** The clouds' clients (the official SDKs'), injected so tests use the SDKs' own mocking. */
export interface AuditClients {
  readonly logging: (project: string) => Logging;
  readonly cloudWatchLogs: (region: string) => CloudWatchLogsClient;
}

const UNITS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `--since`: an age (`30m`, `1h`, `7d`) before `now`, or a moment (ISO 8601). */
export function parseSince(value: string, now: Date): Date {
  const age = /^(\d+)([mhd])$/.exec(value);
  if (age !== null) return new Date(now.getTime() - Number(age[1]) * UNITS[age[2]!]!);
  const moment = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(moment.getTime())) throw new UsageError(`--since ${value}: an age such as 30m, 1h or 7d, or a moment such as 2026-12-01T09:00:00Z`);
  return moment;
}

export const USAGE = `usage: npm run audit -- <environment> [--since 1h] [--tool T] [--caller C] [--json]
       npm run audit -- --file <log file> [--since 1h] [--tool T] [--caller C] [--json]

Reads the audit lines (one per tool call) of both clouds, the Cloud Logging audit bucket and every
region's Lambda log group, and prints them merged by time: who called which tool of which server,
from which client and revision, and how it ended. --since takes an age (30m, 1h, 7d; default 1h) or
a moment (ISO 8601); --tool a tool's name (its own, or the one it was called by); --caller a token's
name, or an OAuth token's sub or client id. --file reads a log the bridge wrote (npm start > log).`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseAuditArgs(args: readonly string[], now = new Date()): AuditCommand {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: {
      since: { type: 'string', default: '1h' },
      tool: { type: 'string' },
      caller: { type: 'string' },
      file: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const filter: AuditFilter = {
    since: parseSince(values.since, now),
    ...(values.tool === undefined ? {} : { tool: values.tool }),
    ...(values.caller === undefined ? {} : { caller: values.caller }),
  };
  if (values.help) return { from: { environment: '' }, filter, json: false, help: true };
  if (values.file !== undefined && positionals.length > 0) throw new UsageError(`read one environment or one --file, not both (got ${positionals.join(', ')} and --file ${values.file})`);
  if (values.file === undefined && positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'name the environment whose audit to read, or give --file <log>' : `one environment at a time (got ${positionals.join(', ')})`);
  return { from: values.file === undefined ? { environment: positionals[0]! } : { file: values.file }, filter, json: values.json, help: false };
}

/** What reading needs from outside. */
export interface AuditContext {
  readonly environmentsFile: string;
  readonly clients: AuditClients;
  /** Where the steps' progress and outcomes go (stderr: stdout holds the table or the JSON). */
  readonly output?: StepLogOutput;
}

/** Reads every source of the command, one step each; a source that cannot be read is named and the others still read. */
export async function readAudit(command: AuditCommand, context: AuditContext): Promise<{ readonly entries: AuditEntry[]; readonly unread: string[] }> {
  const read: AuditEntry[][] = [];
  const unread: string[] = [];
  const since = command.filter.since.toISOString();
  const source = (name: string, runs: string, load: () => Promise<AuditEntry[]>, onFailure: string): Step => ({
    name,
    runs,
    run: async () => {
      try {
        const entries = await load();
        read.push(entries);
        return `${entries.length} audit line(s)${entries.length >= MAX_ENTRIES_PER_SOURCE ? ` (the most read from one source: narrow --since)` : ''}`;
      } catch (error) {
        unread.push(`${name}: ${(error as Error).message}`);
        return `could not read: ${(error as Error).message} (${onFailure})`;
      }
    },
    onFailure,
  });
  let steps: Step[];
  if ('file' in command.from) {
    const file = command.from.file;
    steps = [source(`read ${file}`, `the audit lines of ${file}`, () => fileAuditEntries(file), 'check the path')];
  } else {
    const env = loadEnvironment(command.from.environment, context.environmentsFile);
    const service = resourceName(env.name);
    const bucket = auditBucketId(service);
    const logGroup = `/aws/lambda/${lambdaFunctionName(env)}`;
    steps = [
      source(
        'read Cloud Run\'s audit lines',
        `Cloud Logging bucket ${bucket} of ${env.gcp.project}, since ${since}`,
        () => googleAuditEntries(context.clients.logging(env.gcp.project), { project: env.gcp.project, bucket, serviceName: service, since: command.filter.since }),
        `check gcloud auth application-default login and roles/logging.viewAccessor on ${bucket}`,
      ),
      ...env.aws.regions.map((region) =>
        source(
          `read the Lambda's audit lines in ${region}`,
          `CloudWatch Logs ${logGroup} in ${region}, since ${since}`,
          () => awsAuditEntries(context.clients.cloudWatchLogs(region), { region, logGroup, since: command.filter.since }),
          `check your AWS credentials and logs:FilterLogEvents on ${logGroup}`,
        ),
      ),
    ];
  }
  await runSteps(steps, { output: context.output ?? { progress: (line) => process.stderr.write(`${line}\n`), result: (line) => process.stderr.write(`${line}\n`) } });
  return { entries: mergedEntries(read, command.filter), unread };
}

/** The entries as the command prints them: the table (or a line saying there are none), or one JSON object per line. */
export function auditOutput(entries: readonly AuditEntry[], json: boolean): string {
  if (json) return entries.map(({ source, record }) => JSON.stringify({ cloud: source, ...record })).join('\n');
  return entries.length === 0 ? 'no tool calls match' : auditTable(entries);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('audit', USAGE, () => parseAuditArgs(process.argv.slice(2)), async (command) => {
    const { entries, unread } = await readAudit(command, {
      environmentsFile: environmentsFilePath(),
      clients: { logging: (projectId) => new Logging({ projectId }), cloudWatchLogs: (region) => new CloudWatchLogsClient({ region }) },
    });
    const printed = auditOutput(entries, command.json);
    if (printed !== '') console.log(printed);
    // What could not be read makes the answer partial: said last, and in the exit code.
    for (const problem of unread) console.error(`audit: not read: ${problem}`);
    return unread.length === 0 ? 0 : 1;
  });
}
