// `npm run gameday -- <env>`: an induced failover, end to end. Checks the environment is fit for one,
// inverts the primary's Route 53 health check through the Route 53 API (the way AWS documents testing
// failover), measures how clients on the failover name move to AWS while a real MCP client keeps
// calling, restores the check and measures the way back, and reports. The check is restored whatever
// happens: after an error, on Ctrl-C, and a re-run first restores a check an interrupted run left inverted.
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { Route53Client } from '@aws-sdk/client-route-53';
import { fileURLToPath } from 'node:url';
import { Cdktf } from './clouds/cdktf.js';
import { CloudWatchAlarms, type AlarmStateChange } from './clouds/cloudwatch.js';
import { ProcessRunner } from './clouds/command.js';
import { healthOf, networkResolver } from './clouds/failover-name.js';
import { Route53Failover } from './clouds/route53.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { abortableSleep, abortOnSignals } from './gameday/interruption.js';
import { baseUrlOf, known, signalsOf, timingOf, type GameDayContext, type GameDayFindings } from './gameday/context.js';
import { McpClientRounds } from './gameday/mcp-rounds.js';
import { HEALTH_CHECK_ALARM_REGION, preconditionSteps } from './gameday/preconditions.js';
import { alarmOutcome, clientWindow, problemsOf, renderReport, wayMeasured, type GameDayReport } from './gameday/report.js';
import { watchWay, type Way, type WayWatched } from './gameday/watch.js';
import { contractThroughNameStep } from './gameday/contract-step.js';
import { environmentSnapshots } from './contract/snapshot-files.js';
import { runCli } from './runner/cli.js';
import { numberFlag, oneEnvironment, parseCommandLine } from './runner/command-line.js';
import { runSteps, type Step } from './runner/step-runner.js';
import type { UsageError } from './runner/usage-error.js';

/** What the run has done to the health check, and what it measured. */
interface Run {
  /** Set before the induce call: a call that timed out may still have inverted the check. */
  inverted: boolean;
  restored: boolean;
  inducedAt?: number;
  restoredAt?: number;
  failover?: WayWatched;
  recovery?: WayWatched;
  alarmChanges: AlarmStateChange[];
}

/** The manual restore, for when the game day cannot restore the check itself. */
const manualRestore = (id: string) => `aws route53 update-health-check --health-check-id ${id} --no-inverted`;

/**
 * Runs a game day: the preconditions, the induce, both measurements, the restore. Resolves with the
 * report (`undefined` for a dry run, which only prints the steps). Rejects naming the step that
 * failed; the check is restored first, and the message says so, or gives the command that restores it.
 */
export async function runGameDay(context: GameDayContext, options: { readonly dryRun?: boolean } = {}): Promise<GameDayReport | undefined> {
  const { env } = context;
  const route53 = new Route53Failover(context.route53);
  const findings: GameDayFindings = {};
  const timing = timingOf(context);
  const client = new McpClientRounds({ baseUrl: baseUrlOf(context), ...(context.token === undefined ? {} : { token: context.token }), timeoutMs: timing.requestTimeoutMs, now: context.now });
  const run: Run = { inverted: false, restored: false, alarmChanges: [] };
  const healthCheckId = () => known(findings.healthCheckId, 'the health check');
  const restore = async () => {
    run.restoredAt = context.now();
    await route53.setInverted(healthCheckId(), false);
    run.restored = true;
  };
  const measure = (way: Way, since: number) =>
    watchWay({
      way,
      signals: signalsOf(context, findings, route53),
      since,
      timeoutMs: known(findings.timeoutMs, 'the wait'),
      intervalMs: timing.intervalMs,
      sleep: context.sleep,
      signal: context.signal,
      progress: context.progress,
      clientTally: () => `${client.calls.length} calls, ${client.calls.filter((call) => call.error !== undefined).length} failed`,
    });
  const outcome = (watched: WayWatched, cloud: string) => {
    const times = watched.phases.map((phase) => `${phase.phase} ${phase.seconds === undefined ? 'not seen' : `+${phase.seconds.toFixed(1)} s`}`);
    return `${watched.complete ? `clients are on ${cloud}` : `NOT all on ${cloud} within the wait`}: ${times.join(', ')}`;
  };
  const rerun = `npm run gameday -- ${env.name}`;

  const steps: Step[] = [
    ...preconditionSteps(context, findings, route53, client),
    {
      name: 'induce the failover',
      runs: 'aws route53 update-health-check --health-check-id <primary-health-check-id> --inverted; the MCP client starts its rounds',
      run: async () => {
        context.signal.throwIfAborted();
        client.start(timing.clientIntervalMs, context.sleep);
        run.inverted = true;
        run.inducedAt = context.now();
        await route53.setInverted(healthCheckId(), true);
        return `health check ${healthCheckId()} inverted at ${new Date(run.inducedAt).toISOString()}: Route 53 now considers Cloud Run unhealthy`;
      },
      onFailure: `check that you may call route53:UpdateHealthCheck, then run ${rerun} (it restores the check first if it was inverted)`,
    },
    {
      name: 'measure the failover',
      runs: 'the health check, each name server, the resolver and /health through the name, until clients are on AWS (at most the way timeout)',
      run: async () => outcome((run.failover = await measure('failover', known(run.inducedAt, 'the induce'))), 'AWS'),
      onFailure: `the check is restored now (below); run ${rerun} again once npm run status -- ${env.name} is healthy`,
    },
    contractThroughNameStep(context, 'AWS'),
    {
      name: 'restore the health check',
      runs: 'aws route53 update-health-check --health-check-id <primary-health-check-id> --no-inverted',
      run: async () => {
        await restore();
        return `health check ${healthCheckId()} restored at ${new Date(known(run.restoredAt, 'the restore')).toISOString()}`;
      },
      onFailure: 'the game day tries once more; should that fail too, it prints the command that restores the check by hand',
    },
    {
      name: 'measure the recovery',
      runs: 'the same, until clients are on Cloud Run again (at most the way timeout)',
      run: async () => outcome((run.recovery = await measure('recovery', known(run.restoredAt, 'the restore'))), 'Cloud Run'),
      onFailure: `the check is restored; follow the way back with npm run status -- ${env.name}`,
    },
    {
      name: 'the expected alarm',
      runs: `aws cloudwatch describe-alarm-history --alarm-name <primary-alarm-name> --history-item-type StateUpdate (${HEALTH_CHECK_ALARM_REGION})`,
      run: async () => {
        if (findings.alarmName === undefined) return 'no primary-alarm-name output: not checked';
        run.alarmChanges = await new CloudWatchAlarms(context.cloudwatch(HEALTH_CHECK_ALARM_REGION)).stateChanges(findings.alarmName, new Date(known(run.inducedAt, 'the induce')));
        return `${findings.alarmName}: ${run.alarmChanges.map((change) => change.state).join(' → ') || 'no state change'}`;
      },
      onFailure: `check that you may call cloudwatch:DescribeAlarmHistory in ${HEALTH_CHECK_ALARM_REGION}`,
    },
  ];

  let failure: Error | undefined;
  try {
    await runSteps(steps, { dryRun: options.dryRun ?? false, ...(context.output === undefined ? {} : { output: context.output }) });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  // The restore comes first, before anything that can wait: the check must not stay inverted.
  if (run.inverted && !run.restored) {
    try {
      await restore();
      context.progress(`gameday: health check ${healthCheckId()} restored (Inverted: false)`);
    } catch (error) {
      await client.stop();
      throw new Error(`${failure?.message ?? 'the game day stopped'}\nthe health check ${healthCheckId()} could NOT be restored: ${(error as Error).message}\nrestore it now: ${manualRestore(healthCheckId())}`);
    }
    if (failure !== undefined) failure = new Error(`${failure.message}\nthe health check ${healthCheckId()} was restored (Inverted: false): the name comes back to Cloud Run by itself`, { cause: failure });
  }
  await client.stop();
  if (failure !== undefined) throw failure;
  if (options.dryRun) return undefined;

  const inducedAt = known(run.inducedAt, 'the induce');
  const restoredAt = known(run.restoredAt, 'the restore');
  const timeoutMs = known(findings.timeoutMs, 'the wait');
  const records = known(findings.records, 'the failover records');
  const measured = {
    environment: env.name,
    failoverName: env.domainName,
    healthCheckId: healthCheckId(),
    primary: records.primary.address,
    secondaries: records.secondaries.map((secondary) => secondary.target),
    failover: wayMeasured(known(run.failover, 'the failover'), inducedAt, timeoutMs, clientWindow(client.calls, inducedAt, restoredAt)),
    recovery: wayMeasured(known(run.recovery, 'the recovery'), restoredAt, timeoutMs, clientWindow(client.calls, restoredAt, Number.POSITIVE_INFINITY)),
    alarm: alarmOutcome(findings.alarmName, HEALTH_CHECK_ALARM_REGION, run.alarmChanges, inducedAt, restoredAt),
  };
  return { ...measured, problems: problemsOf(measured) };
}

export const USAGE = `usage: npm run gameday -- <environment> [options]

An induced failover, end to end: checks that the environment is deployed, both clouds answer
/health, the failover name answers with the primary and no alarm fires; inverts the primary's
Route 53 health check; measures when Route 53 sees it unhealthy, when the name servers and the
system's resolver answer with AWS, when /health through the name is answered by Lambda, and every
failed call of an MCP client that keeps calling through the name; restores the check and measures
the way back. Ctrl-C stops it and restores the check. Do not deploy the edge stack meanwhile.

  --confirm-production        required for an environment of the production tier
  --json                      the report as JSON on stdout (progress on stderr)
  --dry-run                   print the steps and what each runs; touch nothing
  --timeout SECONDS           the longest wait for each way (default: 2 × (interval × (threshold + 1)
                              + the PRIMARY record's TTL) + 60, 420 s for 30 s × 3 and TTL 60)
  --interval SECONDS          time between looks (default 5)
  --client-interval SECONDS   time between the MCP client's rounds (default 1)
  --help                      this text

Exit 0 when clients moved both ways without a failed call and the alarm fired, 1 otherwise.
Environment: MCP_ENVIRONMENTS_FILE (default stacks/environments.json), MCP_SMOKE_TOKEN (the MCP
client's bearer token in token or OAuth auth mode); AWS credentials from the standard places.`;

/** The parsed command line. */
export interface GameDayCommand {
  /** The environment to run the game day on. */
  readonly environment: string;
  /** `--json`: the report as JSON on stdout. */
  readonly json: boolean;
  /** `--confirm-production`: needed for the production tier. */
  readonly confirmProduction: boolean;
  /** `--dry-run`: print the steps only. */
  readonly dryRun: boolean;
  /**
   * The longest wait for each way, in seconds.
   * @default - derived from the health check's interval, threshold and the record's TTL
   */
  readonly timeoutSeconds?: number;
  /** Seconds between looks. */
  readonly intervalSeconds: number;
  /** Seconds between the MCP client's rounds. */
  readonly clientIntervalSeconds: number;
  /** `--help`: print the usage. */
  readonly help: boolean;
}

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseGameDayArgs(args: readonly string[]): GameDayCommand {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: {
      'confirm-production': { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      timeout: { type: 'string' },
      interval: { type: 'string', default: '5' },
      'client-interval': { type: 'string', default: '1' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: true,
  });
  const common = { json: values.json, confirmProduction: values['confirm-production'], dryRun: values['dry-run'], intervalSeconds: 5, clientIntervalSeconds: 1 };
  if (values.help) return { environment: '', ...common, help: true };
  const environment = oneEnvironment(positionals, 'run a game day on');
  const secondsOf = (flag: string, value: string, min: number, max: number, whole: boolean) => numberFlag(flag, value, { unit: 'seconds', min, max, whole });
  return {
    environment,
    ...common,
    ...(values.timeout === undefined ? {} : { timeoutSeconds: secondsOf('timeout', values.timeout, 30, 3600, true) }),
    intervalSeconds: secondsOf('interval', values.interval, 1, 60, false),
    clientIntervalSeconds: secondsOf('client-interval', values['client-interval'], 0.1, 60, false),
    help: false,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('gameday', USAGE, () => parseGameDayArgs(process.argv.slice(2)), async (command) => {
    const env = loadEnvironment(command.environment, environmentsFilePath());
    const cdktf = new Cdktf(new ProcessRunner());
    const interruption = new AbortController();
    const stopListening = abortOnSignals(interruption, (line) => console.error(line));
    const timing = timingOf({
      timing: {
        intervalMs: command.intervalSeconds * 1000,
        clientIntervalMs: command.clientIntervalSeconds * 1000,
        ...(command.timeoutSeconds === undefined ? {} : { timeoutMs: command.timeoutSeconds * 1000 }),
      },
    });
    const toStderr = (line: string) => void process.stderr.write(`${line}\n`);
    try {
      console.error(`gameday: ${env.name} (${env.domainName})${command.dryRun ? ' (dry run: nothing is touched)' : ''}`);
      const report = await runGameDay(
        {
          env,
          confirmProduction: command.confirmProduction,
          route53: new Route53Client({ region: 'us-east-1' }),
          cloudwatch: (region) => new CloudWatchClient({ region }),
          outputs: (stack) => cdktf.outputs(stack),
          resolve: networkResolver(),
          contract: environmentSnapshots(env, process.cwd()),
          health: (url, address) => healthOf(url, { ...(address === undefined ? {} : { address }), timeoutMs: timing.requestTimeoutMs }),
          ...(process.env.MCP_SMOKE_TOKEN ? { token: process.env.MCP_SMOKE_TOKEN } : {}),
          timing,
          now: () => Date.now(),
          sleep: abortableSleep,
          signal: interruption.signal,
          progress: toStderr,
          // With --json, stdout carries the report alone.
          ...(command.json ? { output: { progress: toStderr, result: toStderr } } : {}),
        },
        { dryRun: command.dryRun },
      );
      if (report === undefined) return 0;
      console.log(command.json ? JSON.stringify(report, null, 2) : renderReport(report));
      return report.problems.length === 0 ? 0 : 1;
    } finally {
      stopListening();
    }
  });
}
