// The game day's probe of the tool contract through the failover name: before the failover (Cloud
// Run answers) and during it (AWS answers), each server's lists must be the environment's snapshots:
// a failover must not change the tools under a client's feet.
import { describeProbe, probeContracts } from '../contract/contract-probe.js';
import type { Step } from '../runner/step-runner.js';
import { baseUrlOf, timingOf, type GameDayContext } from './context.js';

/** The step that lists each server's contract through the name while `cloud` answers it, and compares it with the snapshots. */
export function contractThroughNameStep(context: GameDayContext, cloud: 'Cloud Run' | 'AWS'): Step {
  const { env } = context;
  const servers = context.contract.map((snapshot) => snapshot.server).join(', ');
  return {
    name: `the contract through the name, on ${cloud}`,
    runs: `tools/list (and resources, prompts) of ${servers} through ${baseUrlOf(context)}, against contracts/${env.name}/`,
    run: async () => {
      const signal = AbortSignal.any([context.signal, AbortSignal.timeout(timingOf(context).requestTimeoutMs * (context.contract.length + 1))]);
      const probed = await probeContracts(baseUrlOf(context), context.contract, { signal, perServer: env.servers !== undefined, ...(context.token === undefined ? {} : { token: context.token }) });
      if (probed.some((probe) => probe.fingerprint !== probe.expected)) throw new Error(`on ${cloud}, clients see another contract than contracts/${env.name}/:\n${describeProbe(probed)}`);
      return describeProbe(probed);
    },
    onFailure: `deploy the release the snapshots describe to both clouds (npm run deploy -- ${env.name}), or write the snapshots of what is served (npm run contract -- ${env.name}); see npm run status -- ${env.name}`,
  };
}
