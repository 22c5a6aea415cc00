import type { HealthAnswer, HealthProbe, ResolveAddresses } from '../clouds/failover-name.js';
import type { CheckerReport, Route53Failover } from '../clouds/route53.js';
import { seconds } from '../runner/step-log.js';

/** Which way traffic is to move: to AWS once the check is inverted, back to Cloud Run once it is restored. */
export type Way = 'failover' | 'recovery';

/** Where a game day looks, each time it looks. */
export interface WatchedSignals {
  /** Route 53, for the primary's health check. */
  readonly route53: Route53Failover;
  /** The primary's health check. */
  readonly healthCheckId: string;
  /** The failover name. */
  readonly domainName: string;
  /** The hosted zone's name servers (authoritative: asked directly). */
  readonly nameServers: readonly string[];
  /** The PRIMARY record's address: an answer holding it is Cloud Run's, any other answer is AWS's. */
  readonly primaryAddress: string;
  /** Asks a name server, or the system's resolver, for the failover name's A records. */
  readonly resolve: ResolveAddresses;
  /** `GET /health` through the failover name. */
  readonly health: HealthProbe;
  /** `/health` through the failover name. */
  readonly healthUrl: URL;
  /** Milliseconds now. */
  readonly now: () => number;
}

/** An answer of a name server or of the resolver: the addresses, or why there were none. */
export interface DnsAnswer {
  /** When it answered, in milliseconds. */
  readonly at: number;
  /**
   * The A records.
   * @default - none: see `error`
   */
  readonly addresses?: readonly string[];
  /**
   * Why there were none: `unresolved (SERVFAIL)`.
   * @default - it answered
   */
  readonly error?: string;
}

/** One look at everything: each signal with the moment it answered. */
export interface Observation {
  /** What Route 53's checkers report. */
  readonly checkers: CheckerReport & { readonly at: number };
  /** What each of the zone's name servers answers. */
  readonly authoritative: ReadonlyArray<DnsAnswer & { readonly nameServer: string }>;
  /** What the system's resolver answers. */
  readonly resolver: DnsAnswer;
  /** Which platform answered `/health` through the name. */
  readonly health: HealthAnswer & { readonly at: number };
}

/** When a phase was first seen, from the induce (or the restore). */
export interface PhaseTime {
  /** The phase: `detect`, `DNS flip (authoritative)`, … */
  readonly phase: string;
  /**
   * Seconds from the induce (or the restore) until it was first seen.
   * @default - not seen within the wait
   */
  readonly seconds?: number;
  /**
   * What was seen then.
   * @default - not seen
   */
  readonly seen?: string;
}

/** Looks at every signal once, all at the same time. A Route 53 error rejects (the SDK has retried it); DNS errors are answers. */
export async function observe(signals: WatchedSignals): Promise<Observation> {
  const dnsAnswer = async (nameServer?: string): Promise<DnsAnswer> => {
    try {
      const addresses = await signals.resolve(signals.domainName, nameServer);
      return { at: signals.now(), addresses };
    } catch (error) {
      return { at: signals.now(), error: `unresolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})` };
    }
  };
  const [checkers, authoritative, resolver, health] = await Promise.all([
    signals.route53.checkers(signals.healthCheckId).then((report) => ({ ...report, at: signals.now() })),
    Promise.all(signals.nameServers.map(async (nameServer) => ({ nameServer, ...(await dnsAnswer(nameServer)) }))),
    dnsAnswer(),
    signals.health(signals.healthUrl).then((answer) => ({ ...answer, at: signals.now() })),
  ]);
  return { checkers, authoritative, resolver, health };
}

/** One phase of a way: its name, whether the wait needs it, and whether an observation shows it (when, and what). */
interface PhaseRule {
  readonly phase: string;
  /**
   * Whether the wait lasts until it is seen. Not for detect: the API reference does not say whether
   * a checker of an inverted check reports the inverted or the raw result, so detect is reported
   * when seen and never holds the wait; the DNS answers show what Route 53 decided either way.
   */
  readonly required: boolean;
  readonly seen: (observation: Observation) => { readonly at: number; readonly seen: string } | undefined;
}

const listed = (addresses: readonly string[] | undefined) => (addresses === undefined || addresses.length === 0 ? '(no answer)' : addresses.join(', '));

/** The phases of a way, in the order they happen. */
function phaseRules(way: Way, primaryAddress: string): PhaseRule[] {
  const moved = (addresses: readonly string[] | undefined) =>
    addresses !== undefined && addresses.length > 0 && (way === 'failover' ? !addresses.includes(primaryAddress) : addresses.includes(primaryAddress));
  const [dns, platform, cloud] = way === 'failover' ? ['DNS flip', 'lambda', 'AWS'] : ['DNS back', 'cloud-run', 'Cloud Run'];
  return [
    {
      phase: way === 'failover' ? 'detect' : 'detect (healthy again)',
      required: false,
      seen: ({ checkers }) =>
        checkers.considersHealthy === (way === 'recovery') ? { at: checkers.at, seen: `${checkers.healthy} of ${checkers.total} checkers report healthy` } : undefined,
    },
    {
      phase: `${dns} (authoritative)`,
      required: true,
      seen: ({ authoritative }) =>
        authoritative.every((answer) => moved(answer.addresses))
          ? { at: Math.max(...authoritative.map((answer) => answer.at)), seen: `all ${authoritative.length} name servers answer ${listed(authoritative[0]!.addresses)}` }
          : undefined,
    },
    {
      phase: `${dns} (resolver)`,
      required: true,
      seen: ({ resolver }) => (moved(resolver.addresses) ? { at: resolver.at, seen: `the system's resolver answers ${listed(resolver.addresses)}` } : undefined),
    },
    {
      phase: `serving from ${cloud}`,
      required: true,
      seen: ({ health }) => (health.platform === platform ? { at: health.at, seen: `/health answered by ${platform}${health.detail ? ` (${health.detail})` : ''}` } : undefined),
    },
  ];
}

/** Options of {@link watchWay}. */
export interface WatchOptions {
  /** Which way traffic is to move. */
  readonly way: Way;
  /** Where to look. */
  readonly signals: WatchedSignals;
  /** When the check was inverted (or restored): the phases' zero, in milliseconds. */
  readonly since: number;
  /** The longest wait, in milliseconds. */
  readonly timeoutMs: number;
  /** Time between looks, in milliseconds. */
  readonly intervalMs: number;
  /** Sleeps between looks; rejects when `signal` is aborted. */
  readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Stops the wait (Ctrl-C): it rejects with the signal's reason. */
  readonly signal: AbortSignal;
  /** Receives a line per look, and one per phase when it is first seen. */
  readonly progress: (line: string) => void;
  /** The MCP client's tally so far, for the progress line: `70 calls, 0 failed`. */
  readonly clientTally: () => string;
}

/** What one way's wait found. */
export interface WayWatched {
  /** Whether every phase the wait needs was seen within it. */
  readonly complete: boolean;
  /** Each phase of the way, in order, with when it was first seen. */
  readonly phases: readonly PhaseTime[];
}

/** A look in a line: what each signal shows. */
function describe(observation: Observation, primaryAddress: string): string {
  const onAws = observation.authoritative.filter((answer) => answer.addresses !== undefined && answer.addresses.length > 0 && !answer.addresses.includes(primaryAddress)).length;
  const resolver = observation.resolver.addresses === undefined ? observation.resolver.error : `${listed(observation.resolver.addresses)} (${observation.resolver.addresses.includes(primaryAddress) ? 'Cloud Run' : 'AWS'})`;
  return [
    `checkers ${observation.checkers.healthy}/${observation.checkers.total} healthy`,
    `name servers ${onAws}/${observation.authoritative.length} on AWS`,
    `resolver ${resolver}`,
    `/health ${observation.health.platform}`,
  ].join('; ');
}

/**
 * Looks every `intervalMs` until every needed phase of the way has been seen or `timeoutMs` has
 * passed since `since`, noting when each phase was first seen. Never gives up early and never
 * rejects for what it sees: a phase not seen is part of the outcome.
 */
export async function watchWay(options: WatchOptions): Promise<WayWatched> {
  const { signals } = options;
  const rules = phaseRules(options.way, signals.primaryAddress);
  const seen = new Map<string, PhaseTime>();
  const after = (at: number) => (at - options.since) / 1000;
  for (;;) {
    options.signal.throwIfAborted();
    const observation = await observe(signals);
    for (const rule of rules) {
      const found = seen.has(rule.phase) ? undefined : rule.seen(observation);
      if (found === undefined) continue;
      seen.set(rule.phase, { phase: rule.phase, seconds: after(found.at), seen: found.seen });
      options.progress(`  ${options.way} +${seconds(found.at - options.since)}: ${rule.phase}: ${found.seen}`);
    }
    const waited = signals.now() - options.since;
    const complete = rules.every((rule) => !rule.required || seen.has(rule.phase));
    if (complete || waited >= options.timeoutMs) {
      return { complete, phases: rules.map((rule) => seen.get(rule.phase) ?? { phase: rule.phase }) };
    }
    options.progress(`  ${options.way} +${seconds(waited)} of at most ${seconds(options.timeoutMs)}: ${describe(observation, signals.primaryAddress)}; client ${options.clientTally()}`);
    await options.sleep(options.intervalMs, options.signal);
  }
}
