import type { AlarmStateChange } from '../clouds/cloudwatch.js';
import type { ClientCall } from './mcp-rounds.js';
import type { PhaseTime, WayWatched } from './watch.js';

/** The MCP client's calls in one way's window. */
export interface ClientWindow {
  /** Calls made in the window. */
  readonly calls: number;
  /** Every failed call: seconds from the window's start, what was called, the error. */
  readonly failures: ReadonlyArray<{ readonly seconds: number; readonly call: string; readonly error: string }>;
}

/** One way measured: the failover (from the induce) or the recovery (from the restore). */
export interface WayMeasured {
  /** When the check was inverted (or restored), ISO 8601: the phases' zero. */
  readonly startedAt: string;
  /** The longest wait, in seconds. */
  readonly timeoutSeconds: number;
  /** Whether DNS (authoritative and resolver) and `/health` through the name all moved within the wait. */
  readonly complete: boolean;
  /** Each phase, in order, with when it was first seen. */
  readonly phases: readonly PhaseTime[];
  /** The MCP client's calls in the window. */
  readonly client: ClientWindow;
}

/** Whether the alarm expected to fire did. */
export interface AlarmOutcome {
  /**
   * The alarm: the edge stack's primary health-check alarm.
   * @default - unknown: the edge stack has no `primary-alarm-name` output (deployed before it had one)
   */
  readonly name?: string;
  /** Its region: Route 53 health-check metrics exist in us-east-1 only. */
  readonly region: string;
  /** Whether it went to ALARM after the induce. */
  readonly fired: boolean;
  /**
   * Seconds from the induce until it went to ALARM.
   * @default - it did not
   */
  readonly firedSeconds?: number;
  /**
   * Seconds from the restore until it was OK again.
   * @default - not yet
   */
  readonly okSeconds?: number;
}

/** What a game day measured. */
export interface GameDayReport {
  /** The environment's name. */
  readonly environment: string;
  /** The name clients use. */
  readonly failoverName: string;
  /** The primary's Route 53 health check, which was inverted and restored. */
  readonly healthCheckId: string;
  /** The primary's address (the Google load balancer's anycast IP). */
  readonly primary: string;
  /** The secondary's API Gateway regional domains. */
  readonly secondaries: readonly string[];
  /** The way to AWS, from the induce. */
  readonly failover: WayMeasured;
  /** The way back to Cloud Run, from the restore. */
  readonly recovery: WayMeasured;
  /** Whether the alarm expected to fire did. */
  readonly alarm: AlarmOutcome;
  /** What went wrong, one line each; empty when clients moved both ways without a failed call and the alarm fired. */
  readonly problems: readonly string[];
}

/** The client calls of the window `[from, to)`, timed from `from`. */
export function clientWindow(calls: readonly ClientCall[], from: number, to: number): ClientWindow {
  const inWindow = calls.filter((call) => call.at >= from && call.at < to);
  return {
    calls: inWindow.length,
    failures: inWindow.flatMap((call) => (call.error === undefined ? [] : [{ seconds: (call.at - from) / 1000, call: call.call, error: call.error }])),
  };
}

/** The alarm's outcome from its state changes since the induce. */
export function alarmOutcome(name: string | undefined, region: string, changes: readonly AlarmStateChange[], inducedAt: number, restoredAt: number): AlarmOutcome {
  const fired = changes.find((change) => change.state === 'ALARM' && change.at.getTime() >= inducedAt);
  const ok = changes.find((change) => change.state === 'OK' && change.at.getTime() >= restoredAt);
  return {
    ...(name === undefined ? {} : { name }),
    region,
    fired: fired !== undefined,
    ...(fired === undefined ? {} : { firedSeconds: (fired.at.getTime() - inducedAt) / 1000 }),
    ...(ok === undefined ? {} : { okSeconds: (ok.at.getTime() - restoredAt) / 1000 }),
  };
}

/** What is wrong with a game day's measurements, one line each. */
export function problemsOf(report: Omit<GameDayReport, 'problems'>): string[] {
  const found: string[] = [];
  for (const [way, measured] of [['failover', report.failover], ['recovery', report.recovery]] as const) {
    const missing = measured.phases.filter((phase) => phase.seconds === undefined && !phase.phase.startsWith('detect')).map((phase) => phase.phase);
    if (!measured.complete) found.push(`${way}: not seen within ${measured.timeoutSeconds} s: ${missing.join(', ')}`);
    if (measured.client.failures.length > 0) found.push(`${way}: ${measured.client.failures.length} of ${measured.client.calls} MCP client calls failed`);
  }
  if (report.alarm.name === undefined) found.push('alarm: the edge stack has no primary-alarm-name output: deploy it to have the alarm checked');
  else if (!report.alarm.fired) found.push(`alarm: ${report.alarm.name} (${report.alarm.region}) did not fire`);
  return found;
}

const at = (value: number | undefined) => (value === undefined ? 'not seen' : `+${value.toFixed(1)} s`);

/** One way as table rows: each phase, then the client's errors, one line each. */
function wayRows(title: string, measured: WayMeasured): string[] {
  const row = (phase: string, after: string, seen: string) => `  ${phase.padEnd(26)} ${after.padEnd(10)} ${seen}`;
  const { client } = measured;
  return [
    `${title} (from ${measured.startedAt}, wait up to ${measured.timeoutSeconds} s)`,
    row('phase', 'after', 'seen'),
    ...measured.phases.map((phase) => row(phase.phase, at(phase.seconds), phase.seen ?? '')),
    row('client errors', String(client.failures.length), `of ${client.calls} MCP calls`),
    ...client.failures.map((failure) => row('', at(failure.seconds), `${failure.call}: ${failure.error}`)),
  ];
}

/** The report as a readable table: the failover's phases, the recovery's, the alarm, then the problems. */
export function renderReport(report: GameDayReport): string {
  const { alarm } = report;
  const alarmLine =
    alarm.name === undefined
      ? 'not checked (the edge stack has no primary-alarm-name output)'
      : `${alarm.name} (${alarm.region}): ${alarm.fired ? `fired ${at(alarm.firedSeconds)} after the induce` : 'did NOT fire'}` +
        (alarm.okSeconds === undefined ? '' : `, OK again ${at(alarm.okSeconds)} after the restore`);
  return [
    `game day of ${report.environment}: ${report.failoverName}, primary health check ${report.healthCheckId}`,
    `  Cloud Run at ${report.primary}; AWS at ${report.secondaries.join(', ')}`,
    '',
    ...wayRows('failover', report.failover),
    '',
    ...wayRows('recovery', report.recovery),
    '',
    `expected alarm: ${alarmLine}`,
    '',
    report.problems.length === 0 ? 'passed: clients moved to AWS and back without a failed call, and the alarm fired' : `problems:\n  ${report.problems.join('\n  ')}`,
  ].join('\n');
}

/** What {@link WayMeasured} is made of, once the wait is over. */
export function wayMeasured(watched: WayWatched, startedAt: number, timeoutMs: number, client: ClientWindow): WayMeasured {
  return { startedAt: new Date(startedAt).toISOString(), timeoutSeconds: timeoutMs / 1000, complete: watched.complete, phases: watched.phases, client };
}
