// Reading an environment's contract from its servers: started here as the bridge would start them,
// listed, checked, and stopped.
import { contractOf } from '../../app/contract/contract.js';
import { HealthReporter } from '../../app/runtime.js';
import { startServers } from '../../app/servers/server-set.js';
import { tools } from '../../app/tools/registry.js';
import type { EnvironmentConfig } from '../../stacks/config.js';
import { servedContractProblems } from './contract-checks.js';
import { localServers, type LocalServersOptions } from './local-servers.js';
import { snapshotOf, type ContractSnapshot } from './snapshot-files.js';

/** How long one request to a server may take while its lists are read. */
const REQUEST_TIMEOUT_MS = 15_000;

/** A contract that fails its checks: every problem, one per line, naming the server, the tool and the path. */
export class ContractCheckError extends Error {
  override name = 'ContractCheckError';
}

/**
 * Starts an environment's servers (see {@link localServers}), reads what each lists, and stops them.
 * Resolves with one snapshot per server in configured order; rejects with the start error (and the
 * servers' last log lines), or with a {@link ContractCheckError} listing what the checks found.
 */
export async function readContracts(env: EnvironmentConfig, options: LocalServersOptions): Promise<ContractSnapshot[]> {
  const { list, environment } = await localServers(env, options);
  const logged: string[] = [];
  const set = await startServers(list, {
    identity: { name: 'mcp-multicloud-contract', version: '1.0.0' },
    builtin: { tools, context: { health: new HealthReporter({ version: 'contract', platform: 'local', region: 'local', startedAtMs: Date.now() }), timeoutMs: REQUEST_TIMEOUT_MS } },
    environment,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    log: (line) => logged.push(line),
    initialBackoffMs: 60_000,
  }).catch((error: Error) => {
    const tail = logged.slice(-20);
    throw new Error(`${error.message}${tail.length === 0 ? '' : `\nits last log lines:\n  ${tail.join('\n  ')}`}`);
  });
  try {
    const snapshots = set.servers.map((server) => snapshotOf(server.name, contractOf(server.catalog())));
    const problems = servedContractProblems(snapshots);
    if (problems.length > 0) throw new ContractCheckError(`${env.name}: the contract fails its checks:\n  ${problems.join('\n  ')}`);
    return snapshots;
  } finally {
    await set.close();
  }
}
