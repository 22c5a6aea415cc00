// A contract change reviewed: per environment and server, what changed from one set of snapshots
// (the pull request's base, or what was released) to another, and whether a breaking change is
// acknowledged in config. The pull request's comment and deploy's refusal both read it.
import { EMPTY_CONTRACT, type ServerContract } from '../../app/contract/contract.js';
import type { EnvironmentConfig } from '../../stacks/config.js';
import { describeChange, diffContracts, type ContractChange } from './contract-diff.js';
import { contractIn, type ContractSnapshot } from './snapshot-files.js';

/** One server's part of a review. */
export interface ServerReview {
  readonly server: string;
  /** Its fingerprint before; absent for a server that is new. */
  readonly before?: string;
  /** Its fingerprint after; absent for a server that is gone. */
  readonly after?: string;
  readonly changes: readonly ContractChange[];
  /** Whether a change is breaking. */
  readonly breaking: boolean;
  /** Whether the config acknowledges this contract (`contract.acknowledged.<server>` is `after`). */
  readonly acknowledged: boolean;
}

/** One environment's review. */
export interface EnvironmentReview {
  readonly environment: string;
  readonly tier: EnvironmentConfig['tier'];
  /** The servers whose contract changed, in name order. */
  readonly servers: readonly ServerReview[];
  /** The servers whose breaking change the production tier needs acknowledged and the config does not. */
  readonly unacknowledged: readonly ServerReview[];
}

const contractOfSnapshot = (snapshot: ContractSnapshot | undefined): ServerContract => (snapshot === undefined ? EMPTY_CONTRACT : contractIn(snapshot));

/**
 * Reviews an environment's change from `before` to `after` (snapshots by server). A server that is
 * new or gone counts as all its tools added or removed. In the production tier, a breaking change
 * stands unless `contract.acknowledged.<server>` names the contract it leads to.
 */
export function reviewEnvironment(env: EnvironmentConfig, before: ReadonlyMap<string, ContractSnapshot>, after: ReadonlyMap<string, ContractSnapshot>): EnvironmentReview {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const servers = names.flatMap((server): ServerReview[] => {
    const old = before.get(server);
    const now = after.get(server);
    if (old?.fingerprint !== undefined && old.fingerprint === now?.fingerprint) return [];
    const changes = diffContracts(contractOfSnapshot(old), contractOfSnapshot(now));
    if (old !== undefined && now !== undefined && changes.length === 0) return [];
    return [
      {
        server,
        ...(old === undefined ? {} : { before: old.fingerprint }),
        ...(now === undefined ? {} : { after: now.fingerprint }),
        changes,
        breaking: changes.some((change) => change.breaking),
        acknowledged: now !== undefined && env.contract.acknowledged[server] === now.fingerprint,
      },
    ];
  });
  const unacknowledged = env.tier === 'production' ? servers.filter((server) => server.breaking && !server.acknowledged) : [];
  return { environment: env.name, tier: env.tier, servers, unacknowledged };
}

/** What to put in config to acknowledge a server's breaking change. */
export function acknowledgement(review: ServerReview): string {
  return review.after === undefined
    ? `a server's removal is acknowledged by removing it from servers (there is no contract left to acknowledge)`
    : `"contract": {"acknowledged": {"${review.server}": "${review.after}"}}`;
}

/** Why a review stops a release, one line per breaking change, naming the tool and the change; empty when nothing does. */
export function refusals(review: EnvironmentReview, environmentsFile: string): string[] {
  return review.unacknowledged.flatMap((server) => [
    ...server.changes.filter((change) => change.breaking).map((change) => `${review.environment}: server ${server.server}: ${describeChange(change)}`),
    `${review.environment}: to release it, acknowledge it in ${environmentsFile} (reviewed in a pull request): ${acknowledgement(server)}`,
  ]);
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The pull-request comment of a set of reviews, in Markdown. */
export function reviewComment(reviews: readonly EnvironmentReview[], comparedWith: string): string {
  const lines = ['## Tool contracts', '', `Snapshots in \`contracts/\` compared with ${comparedWith}.`, ''];
  for (const review of reviews) {
    lines.push(`### ${review.environment} (${review.tier} tier)`, '');
    if (review.servers.length === 0) {
      lines.push('No contract change.', '');
      continue;
    }
    lines.push('| server | change | |', '|---|---|---|');
    for (const server of review.servers) {
      for (const change of server.changes) lines.push(`| ${server.server} | ${cell(describeChange(change))} | ${change.breaking ? '**breaking**' : 'compatible'} |`);
    }
    lines.push('');
    for (const server of review.servers.filter((candidate) => candidate.breaking)) {
      if (server.acknowledged) lines.push(`- ✅ ${server.server}: the breaking change is acknowledged (\`contract.acknowledged.${server.server}\` is ${server.after}).`);
      else if (review.tier === 'production') lines.push(`- ❌ ${server.server}: breaking, not acknowledged: the production tier needs \`${acknowledgement(server)}\` in the environment's config, in this pull request.`);
      else lines.push(`- ⚠️ ${server.server}: breaking; clients that cached the old list will see it change (the ${review.tier} tier does not ask for an acknowledgement).`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
