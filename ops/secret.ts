// `npm run secret -- <env> <server> <NAME>`: sets the value of a server's secret (a `{"secret": "NAME"}`
// in its config) on both clouds, from standard input: never from the command line, never echoed,
// never in Terraform state. Bootstrap created both containers; this adds a version to each.
import { fileURLToPath } from 'node:url';
import { Aws } from './clouds/aws.js';
import { ProcessRunner, type CommandRunner } from './clouds/command.js';
import { Gcloud } from './clouds/gcloud.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { runCli } from './runner/cli.js';
import { parseCommandLine } from './runner/command-line.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { UsageError } from './runner/usage-error.js';
import { namedServerSecrets } from './server-secrets.js';

/** What a secret command needs from outside. */
export interface SecretContext {
  readonly environment: string;
  readonly server: string;
  readonly name: string;
  readonly environmentsFile: string;
  readonly runner: CommandRunner;
  /** The value: standard input, read once the command line and the config are known to be right. */
  readonly readValue: () => Promise<string>;
}

/** The secret a command names, checked against the environment's config: its server must name it. */
function namedSecret(context: SecretContext) {
  const env = loadEnvironment(context.environment, context.environmentsFile);
  const servers = env.servers ?? [];
  if (!servers.some(({ name }) => name === context.server)) {
    throw new UsageError(`${env.name} has no server ${context.server}${servers.length === 0 ? ' (it serves the built-in tools alone)' : ` (its servers: ${servers.map(({ name }) => name).join(', ')})`}`);
  }
  const own = namedServerSecrets(env).filter(({ server }) => server === context.server);
  const secret = own.find(({ name }) => name === context.name);
  if (secret === undefined) {
    throw new UsageError(`servers.${context.server} of ${env.name} names no secret ${context.name} (${own.length === 0 ? 'it names none: add {"secret": "<NAME>"} to its env or headers' : `it names ${own.map(({ name }) => name).join(', ')}`})`);
  }
  return { env, google: secret.google, aws: secret.aws };
}

/** The steps: read the value, then add it on Google Cloud and on AWS. */
export function secretSteps(context: SecretContext): Step[] {
  const { env, google, aws } = namedSecret(context);
  const gcloud = new Gcloud(context.runner, env.gcp.project);
  const awsCli = new Aws(context.runner, env.aws.region);
  let value: string | undefined;
  const valueRead = async () => (value ??= await context.readValue());
  const notCreated = `bootstrap creates it: npm run bootstrap -- ${env.name}`;
  return [
    {
      name: 'read the value',
      runs: 'standard input (not echoed; one trailing newline dropped)',
      run: async () => `${(await valueRead()).length} characters`,
      onFailure: `pipe the value in, e.g. npm run secret -- ${env.name} ${context.server} ${context.name} < file`,
    },
    {
      name: 'set it in Secret Manager',
      runs: `a new version of ${google} (project ${env.gcp.project}); Cloud Run reads the latest version when an instance starts`,
      run: async () => {
        await gcloud.addSecretVersion(google, await valueRead());
        return `${google}: new version added`;
      },
      onFailure: `check that ${google} exists (${notCreated}) and that you may add its versions, then re-run`,
    },
    {
      name: 'set it in Secrets Manager',
      runs: `the current value of ${aws} (${env.aws.region}); each Lambda execution environment reads it at init`,
      run: async () => {
        await awsCli.putSecretValue(aws, await valueRead());
        return `${aws}: value stored`;
      },
      onFailure: `check that ${aws} exists (${notCreated}) and that you may put its value, then re-run: the Google side already holds the new value`,
    },
  ];
}

export const USAGE = `usage: npm run secret -- <environment> <server> <NAME> [--dry-run] < value

Sets the value of a secret that servers.<server> names in its config ({"secret": "<NAME>"}) on both
clouds: a new version in Secret Manager and the current value in Secrets Manager. The value comes
from standard input (a terminal reads it without echo), never from the command line.
Rotation needs no deploy: Cloud Run's new instances read the latest version, and a Lambda execution
environment reads the value when it starts; instances already running keep the value they read
until they are replaced (a deploy replaces them all).`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseSecretArgs(args: readonly string[]): { environment: string; server: string; name: string; dryRun: boolean; help: boolean } {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: { 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', server: '', name: '', dryRun: false, help: true };
  const [environment, server, name, ...extra] = positionals;
  if (name === undefined) throw new UsageError(`expected <environment> <server> <NAME>, got "${positionals.join(' ')}"`);
  if (extra.length > 0) throw new UsageError(`the value is read from standard input, never from the command line: drop "${extra.length} more argument(s)" and pipe it in`);
  return { environment: environment!, server: server!, name, dryRun: values['dry-run'], help: false };
}

/** Standard input: all of it when piped (one trailing newline dropped); from a terminal, one line without echo. */
export async function readSecretValue(input: NodeJS.ReadStream = process.stdin, prompt: NodeJS.WriteStream = process.stderr): Promise<string> {
  let text = '';
  if (input.isTTY) {
    prompt.write('value (not echoed, Enter to finish): ');
    input.setRawMode(true);
    text = await new Promise<string>((resolve, reject) => {
      let typed = '';
      input.on('data', (chunk: Buffer) => {
        for (const character of chunk.toString('utf8')) {
          if (character === '\r' || character === '\n') return resolve(typed);
          if (character === '\u0003') return reject(new Error('interrupted'));
          typed = character === '\u007f' ? typed.slice(0, -1) : typed + character;
        }
      });
    }).finally(() => {
      input.setRawMode(false);
      input.pause();
      prompt.write('\n');
    });
  } else {
    for await (const chunk of input) text += chunk;
    text = text.replace(/\r?\n$/, '');
  }
  if (text === '') throw new Error('the value is empty: nothing was set');
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('secret', USAGE, () => parseSecretArgs(process.argv.slice(2)), async (command) => {
    const steps = secretSteps({ ...command, environmentsFile: environmentsFilePath(), runner: new ProcessRunner(), readValue: () => readSecretValue() });
    await runSteps(steps, { dryRun: command.dryRun });
  });
}
