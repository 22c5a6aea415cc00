// Deploy's check of the contract it releases: the committed snapshots (what the pull request
// reviewed) against what was last released to all traffic (contracts/<env>/released.json). Moving
// all traffic to a contract with an unacknowledged breaking change is refused in the production tier:
// while one cloud serves the new tools and the other the old, a failover changes the tools under a
// client's feet.
import type { EnvironmentConfig } from '../../stacks/config.js';
import { servedContractProblems } from './contract-checks.js';
import { describeChange } from './contract-diff.js';
import { refusals, reviewEnvironment } from './contract-review.js';
import { byServer, environmentSnapshots, readReleased, RELEASED_FILE, servedFingerprint, type ContractSnapshot, type ReleasedContract } from './snapshot-files.js';

/** A release the contract check refuses: every breaking change, naming the tool and the change, and the acknowledgement that lets it go. */
export class ContractRefusal extends Error {
  override name = 'ContractRefusal';
}

/** What deploy releases, as far as the contract goes. */
export interface ReleaseContract {
  /** The release's snapshots, in configured order. */
  readonly snapshots: readonly ContractSnapshot[];
  /** `/mcp`'s fingerprint: what `/health` of the new revisions shows. */
  readonly fingerprint: string;
  /** What was released to all traffic before, if anything was. */
  readonly released?: ReleasedContract;
  /** Whether this deploy moves all traffic to it (`canaryPercent` 100). */
  readonly promotes: boolean;
  /** One line: what the check found. */
  readonly summary: string;
}

const short = (fingerprint: string) => `${fingerprint.slice(0, 19)}…`;

/**
 * The contract an environment's deploy releases, checked: every configured server has its snapshot,
 * and, when the deploy moves all traffic, the change from the released contract has no breaking
 * change the production tier needs acknowledged and the config does not acknowledge. Throws
 * {@link ContractRefusal} (or an error naming a missing snapshot) before anything runs.
 */
export function releaseContract(env: EnvironmentConfig, root: string, environmentsFile: string): ReleaseContract {
  const snapshots = (() => {
    try {
      return environmentSnapshots(env, root);
    } catch (error) {
      throw new Error(`${(error as Error).message} (a deploy releases the contract its pull request reviewed)`);
    }
  })();
  // The checks npm run contract made, again on what is committed (a snapshot edited by hand is checked too).
  const problems = servedContractProblems(snapshots);
  if (problems.length > 0) throw new ContractRefusal(`${env.name}: the contract fails its checks:\n${problems.join('\n')}`);
  const fingerprint = servedFingerprint(snapshots);
  const released = readReleased(root, env.name);
  const promotes = env.canaryPercent === 100;
  const base = { snapshots, fingerprint, ...(released === undefined ? {} : { released }), promotes };
  if (released === undefined) return { ...base, summary: `${short(fingerprint)}: nothing released to all traffic before (no ${RELEASED_FILE}): the first release` };
  if (released.fingerprint === fingerprint) return { ...base, summary: `${short(fingerprint)}: the contract released before, unchanged` };
  const review = reviewEnvironment(env, byServer(released.servers), byServer(snapshots));
  const changes = review.servers.flatMap((server) => server.changes.map((change) => ({ server: server.server, change })));
  const breaking = changes.filter(({ change }) => change.breaking);
  if (!promotes) {
    return { ...base, summary: `a canary: ${env.canaryPercent}% of traffic to ${short(fingerprint)}, the rest stays on ${short(released.fingerprint)} (${changes.length} changes, ${breaking.length} breaking; promoting it checks them)` };
  }
  const refused = refusals(review, environmentsFile);
  if (refused.length > 0) {
    throw new ContractRefusal(
      `${env.name}: all traffic would move to contract ${short(fingerprint)} from the released ${short(released.fingerprint)} with breaking changes the production tier needs acknowledged (while one cloud serves the new tools and the other the old, a failover changes them under a client's feet):\n${refused.join('\n')}`,
    );
  }
  const breakingWords = breaking.length === 0 ? 'none breaking' : `${breaking.length} breaking (${env.tier === 'production' ? 'acknowledged' : `the ${env.tier} tier: ${breaking.map(({ server, change }) => `${server}: ${describeChange(change)}`).join('; ')}`})`;
  return { ...base, summary: `${short(fingerprint)}: ${changes.length} changes from the released ${short(released.fingerprint)}, ${breakingWords}` };
}
