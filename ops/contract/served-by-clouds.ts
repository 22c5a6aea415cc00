// The contract each cloud serves, from its own `/health`: the failover records name each cloud's
// address (the load balancer's, each API Gateway regional domain), and each is asked several times
// so each traffic share of a canary shows. `npm run status` reports it; deploy checks it.
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { EnvironmentConfig } from '../../stacks/config.js';
import type { HealthProbe } from '../clouds/failover-name.js';
import { Route53Failover } from '../clouds/route53.js';

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

/** Each cloud's answers, Cloud Run first; rejects when the failover records cannot be read. */
export async function contractsServedByClouds(env: Pick<EnvironmentConfig, 'hostedZone' | 'domainName'>, sources: ServedContractSources): Promise<CloudContract[]> {
  const records = await new Route53Failover(sources.route53).failoverRecords(env.hostedZone.id, env.domainName);
  const targets = [
    { cloud: 'Cloud Run', address: records.primary.address },
    ...records.secondaries.map((secondary) => ({ cloud: `AWS${secondary.region ? ` ${secondary.region}` : ''}`, address: secondary.target })),
  ];
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
