// The contract each cloud serves, from its own `/health`: the failover records name each cloud's
// address (the load balancer's, each API Gateway regional domain), and each is asked several times
// so each traffic share of a canary shows. `npm run status` reports it; deploy checks it.
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { EnvironmentConfig } from '../../stacks/config.js';
import type { HealthProbe } from '../clouds/failover-name.js';
import { Route53Failover, type FailoverRecords } from '../clouds/route53.js';

/** What one cloud's answers named: each fingerprint (or what answered instead, in parentheses) and how many answers named it. */
export interface CloudContract {
  readonly cloud: string;
  readonly address: string;
  readonly served: ReadonlyArray<{ readonly fingerprint: string; readonly answers: number }>;
  readonly samples: number;
}

/** Where the answers come from. */
export interface ServedContractSources {
  /** Route 53 (the failover records). */
  readonly route53: Route53Client;
  /** `GET /health` of the failover name's URL, straight to an address. */
  readonly healthAt: HealthProbe;
  /**
   * How many times each cloud is asked.
   * @default 6
   */
  readonly samples?: number;
}

/** Whether an answer named a contract (rather than what answered instead). */
export const namesContract = (said: string) => said.startsWith('sha256:');

/** The clouds' addresses the failover records name: the load balancer's, then each AWS region's regional domain. */
export function cloudTargets(records: FailoverRecords): Array<{ readonly cloud: string; readonly address: string }> {
  return [
    { cloud: 'Cloud Run', address: records.primary.address },
    ...records.secondaries.map((secondary) => ({ cloud: `AWS${secondary.region ? ` ${secondary.region}` : ''}`, address: secondary.target })),
  ];
}

/** Each cloud's answers at its address, asked `samples` times (default 6). */
export async function contractsServedAt(
  env: Pick<EnvironmentConfig, 'domainName'>,
  targets: ReadonlyArray<{ readonly cloud: string; readonly address: string }>,
  sources: Omit<ServedContractSources, 'route53'>,
): Promise<CloudContract[]> {
  const samples = sources.samples ?? 6;
  const url = new URL('/health', `https://${env.domainName}`);
  return Promise.all(
    targets.map(async ({ cloud, address }) => {
      const served = new Map<string, number>();
      for (let sample = 0; sample < samples; sample += 1) {
        const answer = await sources.healthAt(url, address);
        const said = answer.contract ?? `(${answer.platform}${answer.detail ? `: ${answer.detail}` : ''})`;
        served.set(said, (served.get(said) ?? 0) + 1);
      }
      return { cloud, address, samples, served: [...served].map(([fingerprint, answers]) => ({ fingerprint, answers })).sort((a, b) => b.answers - a.answers) };
    }),
  );
}

/** Each cloud's answers, Cloud Run first; rejects when the failover records cannot be read. */
export async function contractsServedByClouds(env: Pick<EnvironmentConfig, 'hostedZone' | 'domainName'>, sources: ServedContractSources): Promise<CloudContract[]> {
  const records = await new Route53Failover(sources.route53).failoverRecords(env.hostedZone.id, env.domainName);
  return contractsServedAt(env, cloudTargets(records), sources);
}

/**
 * Why the clouds' contracts make a failover change the tools under clients' feet, or `undefined`
 * when they do not: in a canary each cloud serves two contracts, in shares the samples see only
 * roughly, so the clouds must have one in common (the stable share's).
 */
export function noContractInCommon(clouds: readonly CloudContract[]): string | undefined {
  const sets = clouds.map((cloud) => ({ cloud: cloud.cloud, fingerprints: cloud.served.map(({ fingerprint }) => fingerprint).filter(namesContract) }));
  const common = sets.length === 0 ? [] : sets[0]!.fingerprints.filter((fingerprint) => sets.every((set) => set.fingerprints.includes(fingerprint)));
  if (sets.length < 2 || common.length > 0) return undefined;
  return `the clouds serve no contract in common, so a failover changes the tools under clients' feet: ${sets.map(({ cloud, fingerprints }) => `${cloud} ${fingerprints.join(' + ') || '(none)'}`).join(', ')}`;
}

/** One cloud's answers in words: each fingerprint (shortened, with `label` saying what it is) and its share. */
export function describeShares(cloud: CloudContract, label: (fingerprint: string) => string | undefined = () => undefined): string {
  return cloud.served
    .map(({ fingerprint, answers }) => {
      if (!namesContract(fingerprint)) return `${fingerprint} (${answers} of ${cloud.samples})`;
      const what = label(fingerprint);
      return `${fingerprint.slice(0, 19)}… (${answers} of ${cloud.samples} answers${what ? `; ${what}` : ''})`;
    })
    .join(', ');
}
