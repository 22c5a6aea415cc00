// Failover drill: watches the failover name while traffic moves between clouds.
//   npm run drill -- --name mcp.example.com [--to lambda] [--interval 5] [--timeout 900]
// Polls DNS (A records) and https://<name>/health (which says which platform answered),
// prints each change, and reports when clients moved and how long it took.
// Start it, then deploy the edge stack with "failoverDrill": true (or stop the primary);
// `npm run gameday` induces a failover itself and measures both ways.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { healthOf, resolveWithSystem } from '../ops/clouds/failover-name.js';

/** Options of {@link runDrill}. */
export interface DrillOptions {
  /** The failover name to resolve. */
  readonly name: string;
  /**
   * Base URL whose `/health` is polled.
   * @default https://<name>
   */
  readonly url?: string;
  /**
   * The platform traffic should move to.
   * @default - whichever platform is not answering at the start
   */
  readonly to?: string;
  /** Seconds between polls. */
  readonly intervalSeconds: number;
  /** Give up after this many seconds. */
  readonly timeoutSeconds: number;
}

/** What the drill saw. */
export interface DrillOutcome {
  readonly moved: boolean;
  readonly from: string;
  readonly to: string;
  /** Seconds from the start of the drill until `/health` was answered by the target platform. */
  readonly seconds: number;
}

interface Observation {
  readonly addresses: string;
  readonly platform: string;
}

async function observe(name: string, healthUrl: URL): Promise<Observation> {
  const addresses = await resolveWithSystem(name)
    .then((records) => records.join(','))
    .catch((error: NodeJS.ErrnoException) => `unresolved (${error.code ?? error.message})`);
  const { platform } = await healthOf(healthUrl);
  return { addresses, platform };
}

/** Polls until `/health` is answered by the target platform, or the time runs out. */
export async function runDrill(options: DrillOptions, print: (line: string) => void = console.log): Promise<DrillOutcome> {
  const healthUrl = new URL('/health', options.url ?? `https://${options.name}`);
  const started = Date.now();
  const elapsed = () => (Date.now() - started) / 1000;
  let last = await observe(options.name, healthUrl);
  const from = last.platform;
  const to = options.to ?? (from === 'lambda' ? 'cloud-run' : 'lambda');
  print(`drill: ${options.name} → [${last.addresses}], answered by ${from}; waiting for ${to}`);
  while (last.platform !== to) {
    if (elapsed() >= options.timeoutSeconds) {
      print(`drill: clients did not move to ${to} within ${options.timeoutSeconds} s (still ${last.platform})`);
      return { moved: false, from, to, seconds: elapsed() };
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalSeconds * 1000));
    const next = await observe(options.name, healthUrl);
    if (next.addresses !== last.addresses) print(`drill: +${elapsed().toFixed(1)} s DNS now [${next.addresses}]`);
    if (next.platform !== last.platform) print(`drill: +${elapsed().toFixed(1)} s answered by ${next.platform}`);
    last = next;
  }
  const seconds = elapsed();
  print(`drill: clients moved from ${from} to ${to} in ${seconds.toFixed(1)} s`);
  return { moved: true, from, to, seconds };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      to: { type: 'string' },
      interval: { type: 'string', default: '5' },
      timeout: { type: 'string', default: '900' },
    },
  });
  const intervalSeconds = Number(values.interval);
  const timeoutSeconds = Number(values.timeout);
  if (values.name === undefined || !(intervalSeconds > 0) || !(timeoutSeconds > 0)) {
    console.error('drill: usage: --name <failover name> [--url <base url>] [--to lambda|cloud-run] [--interval s] [--timeout s]');
    process.exit(2);
  }
  const outcome = await runDrill({
    name: values.name,
    intervalSeconds,
    timeoutSeconds,
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.to === undefined ? {} : { to: values.to }),
  });
  process.exit(outcome.moved ? 0 : 1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
