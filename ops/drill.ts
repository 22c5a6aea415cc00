// `npm run drill -- --name mcp.example.com`: watches the failover name while traffic moves between
// clouds, and reports when clients moved and how long it took. Run with --help.
import { fileURLToPath } from 'node:url';
import { healthOf, resolveWithSystem } from './clouds/failover-name.js';
import { runCli } from './runner/cli.js';
import { numberFlag, parseCommandLine } from './runner/command-line.js';
import { runSteps } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';

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

export const USAGE = `usage: npm run drill -- --name <failover name> [--url <base url>] [--to lambda|cloud-run] [--interval s] [--timeout s]

Watches the failover name while traffic moves between clouds: polls its A records and
<url>/health (which names the platform that answered), prints each change, and reports when
clients moved and how long it took. Start it, then deploy the edge stack with "failoverDrill": true
(or stop the primary); npm run gameday induces a failover itself and measures both ways.

  --name NAME     the failover name to resolve (required)
  --url URL       the base URL whose /health is polled (default https://<name>)
  --to PLATFORM   lambda or cloud-run (default: whichever is not answering at the start)
  --interval S    seconds between polls, 1 to 300 (default 5)
  --timeout S     give up after this many seconds, 1 to 7200 (default 900)
  --help          this text`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseDrillArgs(args: readonly string[]): (DrillOptions & { help: false }) | { help: true } {
  const { values } = parseCommandLine({
    args: [...args],
    options: {
      name: { type: 'string' },
      url: { type: 'string' },
      to: { type: 'string' },
      interval: { type: 'string', default: '5' },
      timeout: { type: 'string', default: '900' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return { help: true };
  if (values.name === undefined) throw new UsageError('--name is required (the failover name, e.g. --name mcp.example.com)');
  if (values.to !== undefined && !PLATFORMS.includes(values.to)) throw new UsageError(`--to ${values.to}: one of ${PLATFORMS.join(', ')}`);
  if (values.url !== undefined && !URL.canParse(values.url)) throw new UsageError(`--url ${values.url}: not a URL`);
  return {
    help: false,
    name: values.name,
    intervalSeconds: numberFlag('interval', values.interval, { unit: 'seconds', min: 1, max: 300, whole: false }),
    timeoutSeconds: numberFlag('timeout', values.timeout, { unit: 'seconds', min: 1, max: 7200, whole: false }),
    ...(values.url === undefined ? {} : { url: values.url }),
    ...(values.to === undefined ? {} : { to: values.to }),
  };
}

/** The platforms `/health` names. */
const PLATFORMS = ['lambda', 'cloud-run'];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('drill', USAGE, () => parseDrillArgs(process.argv.slice(2)), async (command) => {
    if (command.help) return 0;
    let moved = false;
    await runSteps([
      {
        name: `watch ${command.name}`,
        runs: `resolve ${command.name} and GET ${command.url ?? `https://${command.name}`}/health every ${command.intervalSeconds} s, for up to ${command.timeoutSeconds} s`,
        run: async () => {
          const outcome = await runDrill(command);
          moved = outcome.moved;
          return moved ? `moved from ${outcome.from} to ${outcome.to} in ${outcome.seconds.toFixed(1)} s` : `not moved to ${outcome.to} within ${command.timeoutSeconds} s`;
        },
        onFailure: 'a lookup of the name or its /health failed: check the name and your network, then run it again',
      },
    ]);
    return moved ? 0 : 1;
  });
}
