// `npm run token -- <env> rotate [--grace-hours N]`: adds a bearer token and retires old ones
// after a grace period, on both clouds at once (Cloud Run and Lambda must accept the same tokens).
// `npm run token -- <env> sync`: copies the digests one secret holds to the others (a rotation that
// stopped half-way, or the token secret's former Secrets Manager name).
import { fileURLToPath } from 'node:url';
import { Aws } from './clouds/aws.js';
import { ProcessRunner, type CommandRunner } from './clouds/command.js';
import { Gcloud } from './clouds/gcloud.js';
import { environmentsFilePath, loadEnvironment } from './environment-file.js';
import { runSteps, type Step } from './runner/step-runner.js';
import { runCli } from './runner/cli.js';
import { numberFlag, parseCommandLine } from './runner/command-line.js';
import { UsageError } from './runner/usage-error.js';
import { newToken, rotatedDigests, syncDigests, TokenDigests } from './tokens.js';

/** What `npm run token` does. */
export type TokenAction = 'rotate' | 'sync';

/** What a token command needs from outside. */
export interface TokenContext {
  readonly environment: string;
  readonly environmentsFile: string;
  readonly runner: CommandRunner;
  /** Hours an older token stays valid after the rotation that superseded it (rotate). */
  readonly graceHours: number;
  readonly now: () => Date;
  /** Prints the new token, once (rotate). */
  readonly reveal: (token: string) => void;
}

/** The environment's token secrets; refuses an environment that has no tokens. */
function tokenDigests(context: TokenContext, action: TokenAction): { readonly environment: string; readonly tokens: TokenDigests } {
  const env = loadEnvironment(context.environment, context.environmentsFile);
  if (env.auth.mode !== 'token') throw new UsageError(`${env.name} uses auth mode ${env.auth.mode}: it has no tokens to ${action}`);
  return { environment: env.name, tokens: new TokenDigests(new Gcloud(context.runner, env.gcp.project), new Aws(context.runner, env.aws.region), env.name) };
}

/** The steps of a rotation. */
export function rotateSteps(context: TokenContext): Step[] {
  const { environment, tokens } = tokenDigests(context, 'rotate');
  return [
    {
      name: 'rotate the token',
      runs: `a new token; its SHA-256 first in ${tokens.googleSecret} (Secret Manager) and ${tokens.awsSecret} (Secrets Manager), the previous one kept, older ones kept only within ${context.graceHours} h of the last rotation`,
      run: async () => {
        const { google } = await tokens.read();
        if (google === undefined) throw new Error(`${tokens.googleSecret} holds no token yet: npm run deploy -- ${environment} creates the first`);
        const { token, digest } = newToken();
        const digests = rotatedDigests(google.digests, google.written, digest, context.graceHours, context.now());
        await tokens.write(digests);
        context.reveal(token);
        const retired = google.digests.length + 1 - digests.length;
        return `added a token (shown once above); ${digests.length - 1} older token(s) still valid, ${retired} retired`;
      },
      onFailure: `check that you may read and add versions of both secrets, then re-run: a rotation that stopped half-way is finished by the next one (both clouds get the same list), or by npm run token -- ${environment} sync`,
    },
  ];
}

/** The steps of a sync: every token secret gets the digests of the first that holds any. */
export function syncSteps(context: TokenContext): Step[] {
  const { environment, tokens } = tokenDigests(context, 'sync');
  return [
    {
      name: 'sync the token digests',
      runs: `the digests of ${tokens.googleSecret} (Secret Manager), else of ${tokens.awsSecret}, else of ${tokens.formerAwsSecrets.join(', ')} (Secrets Manager, its former name), into the others`,
      run: async () => {
        const synced = await syncDigests(tokens);
        if (synced === undefined) throw new Error(`no token secret of ${environment} holds a digest: npm run deploy -- ${environment} creates the first token`);
        return synced;
      },
      onFailure: `check that you may read and add versions of the secrets it names, then re-run`,
    },
  ];
}

export const USAGE = `usage: npm run token -- <environment> rotate [--grace-hours N] [--dry-run]
       npm run token -- <environment> sync [--dry-run]

rotate  Adds a bearer token (printed once) to both clouds' secret stores. The token it replaces
        stays valid until the next rotation; older ones are retired once the last rotation is
        more than the grace period old (default 24 hours).
sync    Copies the digests of the first secret that holds any (Secret Manager's, then Secrets
        Manager's, then Secrets Manager's under the secret's former name) into the others: it
        finishes a rotation that stopped half-way, and moves an environment deployed before the
        rename of <service>/token-sha256 to <service>/token-digests. Prints no token.`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseTokenArgs(args: readonly string[]): { environment: string; action: TokenAction; graceHours: number; dryRun: boolean; help: boolean } {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: { 'grace-hours': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', action: 'rotate', graceHours: 24, dryRun: false, help: true };
  const [environment, action, ...extra] = positionals;
  if (environment === undefined || (action !== 'rotate' && action !== 'sync') || extra.length > 0) throw new UsageError(`expected <environment> rotate or <environment> sync, got "${positionals.join(' ')}"`);
  if (action === 'sync' && values['grace-hours'] !== undefined) throw new UsageError('--grace-hours: only rotate takes it');
  const graceHours = numberFlag('grace-hours', values['grace-hours'] ?? '24', { unit: 'hours', min: 0, max: 24 * 90, whole: false });
  return { environment, action, graceHours, dryRun: values['dry-run'], help: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('token', USAGE, () => parseTokenArgs(process.argv.slice(2)), async (command) => {
    const steps = (command.action === 'rotate' ? rotateSteps : syncSteps)({
      environment: command.environment,
      environmentsFile: environmentsFilePath(),
      runner: new ProcessRunner(),
      graceHours: command.graceHours,
      now: () => new Date(),
      reveal: (token) => console.log(`\n  The new token of ${command.environment} (shown once):\n\n    ${token}\n`),
    });
    await runSteps(steps, { dryRun: command.dryRun });
  });
}
