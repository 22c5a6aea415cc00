import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { EnvironmentConfig } from '../../stacks/config.js';
import type { HealthProbe, ResolveAddresses } from '../clouds/failover-name.js';
import type { FailoverRecords, Route53Failover } from '../clouds/route53.js';
import type { ContractSnapshot } from '../contract/snapshot-files.js';
import type { StepLogOutput } from '../runner/step-log.js';
import type { WatchedSignals } from './watch.js';

/** How often a game day looks and how long it waits. */
export interface GameDayTiming {
  /**
   * The longest wait for each way (the failover, then the recovery), in milliseconds.
   * @default - {@link defaultWayTimeoutMs} of the environment and its PRIMARY record's TTL
   */
  readonly timeoutMs?: number;
  /**
   * Time between looks at the health check, DNS and `/health`, in milliseconds.
   * @default 5000
   */
  readonly intervalMs?: number;
  /**
   * Time between the MCP client's rounds (`tools/list`, then `process_data`), in milliseconds.
   * @default 1000
   */
  readonly clientIntervalMs?: number;
  /**
   * How long one request (`/health`, an MCP call) may take, in milliseconds.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
}

/** Everything a game day needs from outside: the environment, the clouds' SDK clients, DNS, HTTP, the clock. */
export interface GameDayContext {
  /** The environment to fail over and back. */
  readonly env: EnvironmentConfig;
  /** The operator's `--confirm-production`: a production-tier environment needs it. */
  readonly confirmProduction: boolean;
  /** Route 53 (a global service; the SDK client of us-east-1). */
  readonly route53: Route53Client;
  /** CloudWatch in a region (the alarms of each AWS region, and us-east-1 for the health-check alarms). */
  readonly cloudwatch: (region: string) => CloudWatchClient;
  /** A deployed stack's Terraform outputs; `{}` when it has none. */
  readonly outputs: (stack: string) => Promise<Record<string, unknown>>;
  /** A name's A records, from one name server or from the system's resolver. */
  readonly resolve: ResolveAddresses;
  /** `GET /health`, through the name or straight to an address. */
  readonly health: HealthProbe;
  /**
   * Where clients reach the failover name: the MCP client's and `/health`'s base URL.
   * @default https://<domainName>
   */
  readonly baseUrl?: string;
  /** The environment's contract snapshots (`contracts/<env>/`, in configured order): what each cloud must serve. */
  readonly contract: readonly ContractSnapshot[];
  /**
   * The MCP client's bearer token (needed in token and OAuth auth mode: MCP_SMOKE_TOKEN).
   * @default - none
   */
  readonly token?: string;
  /**
   * How often to look and how long to wait.
   * @default - see {@link GameDayTiming}
   */
  readonly timing?: GameDayTiming;
  /** Milliseconds now. */
  readonly now: () => number;
  /** Sleeps; rejects with the signal's reason when it is aborted. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Aborted on Ctrl-C (SIGINT) or SIGTERM: the game day stops, restores the check, and fails. */
  readonly signal: AbortSignal;
  /** Receives progress lines (each look, each phase seen). */
  readonly progress: (line: string) => void;
  /**
   * Where the steps' progress and outcomes go.
   * @default - progress to stderr, outcomes to stdout
   */
  readonly output?: StepLogOutput;
}

/** What the preconditions find, for the steps after them. */
export interface GameDayFindings {
  /** The primary's health check (the edge stack's `primary-health-check-id`). */
  healthCheckId?: string;
  /** The alarm expected to fire (the edge stack's `primary-alarm-name`), when the stack has the output. */
  alarmName?: string;
  /** The failover records as the hosted zone holds them. */
  records?: FailoverRecords;
  /** The hosted zone's name servers. */
  nameServers?: string[];
  /** The longest wait for each way, in milliseconds. */
  timeoutMs?: number;
  /** Whether the run began by restoring a check left inverted (so it first waits for the way back). */
  restoredLeftover?: boolean;
}

/** A finding an earlier step made; throws when that step has not run. */
export function known<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is not known: the step that finds it has not run`);
  return value;
}

/**
 * The longest wait for one way, in milliseconds: twice what it should take, plus a minute. Route
 * 53 changes a check's status after `failureThreshold` checks in a row, one every `intervalSeconds`
 * (and up to one interval until the first), then resolvers keep the old answer for up to its TTL.
 * For 30 s × 3 and a 60 s TTL: 2 × (30 × 4 + 60) + 60 = 420 s.
 */
export function defaultWayTimeoutMs(env: Pick<EnvironmentConfig, 'healthCheck'>, ttlSeconds: number): number {
  const expected = env.healthCheck.intervalSeconds * (env.healthCheck.failureThreshold + 1) + ttlSeconds;
  return (2 * expected + 60) * 1000;
}

/** The timing with its defaults filled in (all but the way timeout, which needs the record's TTL). */
export function timingOf(context: Pick<GameDayContext, 'timing'>): Required<Omit<GameDayTiming, 'timeoutMs'>> & Pick<GameDayTiming, 'timeoutMs'> {
  const timing = context.timing ?? {};
  return {
    intervalMs: timing.intervalMs ?? 5_000,
    clientIntervalMs: timing.clientIntervalMs ?? 1_000,
    requestTimeoutMs: timing.requestTimeoutMs ?? 10_000,
    ...(timing.timeoutMs === undefined ? {} : { timeoutMs: timing.timeoutMs }),
  };
}

/** The failover name's base URL. */
export function baseUrlOf(context: Pick<GameDayContext, 'baseUrl' | 'env'>): string {
  return context.baseUrl ?? `https://${context.env.domainName}`;
}

/** Where the game day looks, once the preconditions have found the check, the records and the name servers. */
export function signalsOf(context: GameDayContext, findings: GameDayFindings, route53: Route53Failover): WatchedSignals {
  return {
    route53,
    healthCheckId: known(findings.healthCheckId, 'the health check'),
    domainName: context.env.domainName,
    nameServers: known(findings.nameServers, "the zone's name servers"),
    primaryAddress: known(findings.records, 'the failover records').primary.address,
    resolve: context.resolve,
    health: context.health,
    healthUrl: new URL('/health', baseUrlOf(context)),
    now: context.now,
  };
}
