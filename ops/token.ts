// `npm run token -- <env> rotate [--name N] [--grace-hours N]`: adds a bearer token (named: what the
// access rules grant and the audit records) and retires that name's old ones after a grace period, on
// both clouds at once (Cloud Run and Lambda must accept the same tokens).
// `npm run token -- <env> revoke --name N`: removes every token of a name, on both clouds.
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
import { TOKEN_NAME_PATTERN } from '../app/auth/access-rules.js';
import { UNNAMED_TOKEN } from '../app/auth/settings.js';
import { grantsOfToken, newToken, rotatedDigests, syncDigests, TokenDigests, tokenName } from './tokens.js';

/** What `npm run token` does. */
export type TokenAction = 'rotate' | 'revoke' | 'sync';

/** What a token command needs from outside. */
export interface TokenContext {
  readonly environment: string;
  readonly environmentsFile: string;
  readonly runner: CommandRunner;
  /** Hours an older token stays valid after the rotation that superseded it (rotate). */
  readonly graceHours: number;
  readonly now: () => Date;
  /**
   * The token's name: what the access rules grant and the audit records (rotate, revoke).
   * @default 'default'
   */
  readonly name?: string;
  /** Prints the new token once, with its name and what the access rules grant it (rotate). */
  readonly reveal: (token: string, name: string, grants: string) => void;
}

/** The environment's token secrets; refuses an environment that has no tokens. */
function tokenDigests(context: TokenContext, action: TokenAction) {
  const env = loadEnvironment(context.environment, context.environmentsFile);
  if (env.auth.mode !== 'token') throw new UsageError(`${env.name} uses auth mode ${env.auth.mode}: it has no tokens to ${action}`);
  return { environment: env.name, access: env.access, tokens: new TokenDigests(new Gcloud(context.runner, env.gcp.project), new Aws(context.runner, env.aws.region), env.name) };
}

/** The steps of a rotation. */
export function rotateSteps(context: TokenContext): Step[] {
  const { environment, access, tokens } = tokenDigests(context, 'rotate');
  const name = context.name ?? UNNAMED_TOKEN;
  return [
    {
      name: 'rotate the token',
      runs: `a new token named ${name}; its SHA-256 first in ${tokens.googleSecret} (Secret Manager) and ${tokens.awsSecret} (Secrets Manager), ${name}'s previous one kept, its older ones kept only within ${context.graceHours} h of the last rotation, other names' tokens untouched`,
      run: async () => {
        const { google } = await tokens.read();
        if (google === undefined) throw new Error(`${tokens.googleSecret} holds no token yet: npm run deploy -- ${environment} creates the first`);
        const { token, digest } = newToken();
        const entries = rotatedDigests(google.digests, google.written, `${name}:${digest}`, context.graceHours, context.now());
        await tokens.write(entries);
        context.reveal(token, name, grantsOfToken(access, name));
        const before = google.digests.filter((entry) => tokenName(entry) === name).length;
        const kept = entries.filter((entry) => tokenName(entry) === name).length - 1;
        return `added a token named ${name} (shown once above); ${kept} older token(s) of ${name} still valid, ${before - kept} retired`;
      },
      onFailure: `check that you may read and add versions of both secrets, then re-run: a rotation that stopped half-way is finished by the next one (both clouds get the same list), or by npm run token -- ${environment} sync`,
    },
  ];
}

/** The steps of a revocation: every token of the name goes from both clouds. */
export function revokeSteps(context: TokenContext): Step[] {
  const { environment, tokens } = tokenDigests(context, 'revoke');
  const name = context.name ?? UNNAMED_TOKEN;
  return [
    {
      name: 'revoke the token',
      runs: `every token named ${name} out of ${tokens.googleSecret} (Secret Manager) and ${tokens.awsSecret} (Secrets Manager); the bridge refuses it once the next deploy (or cold start) reads the secrets`,
      run: async () => {
        const { google } = await tokens.read();
        const entries = google?.digests ?? [];
        const kept = entries.filter((entry) => tokenName(entry) !== name);
        if (kept.length === entries.length) throw new Error(`${tokens.googleSecret} holds no token named ${name} (its names: ${[...new Set(entries.map(tokenName))].join(', ') || 'none'})`);
        if (kept.length === 0) throw new Error(`${name} holds the last tokens of ${environment}: the bridge would accept none. Rotate another name in first (npm run token -- ${environment} rotate --name <name>)`);
        await tokens.write(kept);
        return `revoked ${entries.length - kept.length} token(s) named ${name}; ${kept.length} token(s) of ${[...new Set(kept.map(tokenName))].join(', ')} still valid`;
      },
      onFailure: `check that you may read and add versions of both secrets, then re-run (a revocation that stopped half-way is finished by the next one, or by npm run token -- ${environment} sync)`,
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

export const USAGE = `usage: npm run token -- <environment> rotate [--name N] [--grace-hours N] [--dry-run]
       npm run token -- <environment> revoke --name N [--dry-run]
       npm run token -- <environment> sync [--dry-run]

rotate  Adds a bearer token named N (default "default"; printed once, with what the environment's
        access rules grant it) to both clouds' secret stores; a new name is a new caller. The
        token of N it replaces stays valid until N's next rotation; N's older ones are retired once
        the last rotation is more than the grace period old (default 24 hours).
revoke  Removes every token named N from both clouds' secret stores (never the last name's).
sync    Copies the digests of the first secret that holds any (Secret Manager's, then Secrets
        Manager's, then Secrets Manager's under the secret's former name) into the others: it
        finishes a rotation that stopped half-way, and moves an environment deployed before the
        rename of <service>/token-sha256 to <service>/token-digests. Prints no token.`;

/** Parses the command line; throws {@link UsageError} naming what is wrong. */
export function parseTokenArgs(args: readonly string[]): { environment: string; action: TokenAction; name: string; graceHours: number; dryRun: boolean; help: boolean } {
  const { values, positionals } = parseCommandLine({
    args: [...args],
    options: { name: { type: 'string' }, 'grace-hours': { type: 'string' }, 'dry-run': { type: 'boolean', default: false }, help: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (values.help) return { environment: '', action: 'rotate', name: UNNAMED_TOKEN, graceHours: 24, dryRun: false, help: true };
  const [environment, action, ...extra] = positionals;
  if (environment === undefined || (action !== 'rotate' && action !== 'revoke' && action !== 'sync') || extra.length > 0) {
    throw new UsageError(`expected <environment> rotate, <environment> revoke --name N or <environment> sync, got "${positionals.join(' ')}"`);
  }
  if (action !== 'rotate' && values['grace-hours'] !== undefined) throw new UsageError('--grace-hours: only rotate takes it');
  if (action === 'sync' && values.name !== undefined) throw new UsageError('--name: sync copies every token, it takes no name');
  if (action === 'revoke' && values.name === undefined) throw new UsageError('revoke: name the token to revoke with --name');
  const name = values.name ?? UNNAMED_TOKEN;
  if (!TOKEN_NAME_PATTERN.test(name)) throw new UsageError(`--name ${name}: a token name is 1-32 lowercase letters, digits and hyphens, starting with a letter`);
  const graceHours = numberFlag('grace-hours', values['grace-hours'] ?? '24', { unit: 'hours', min: 0, max: 24 * 90, whole: false });
  return { environment, action, name, graceHours, dryRun: values['dry-run'], help: false };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('token', USAGE, () => parseTokenArgs(process.argv.slice(2)), async (command) => {
    const steps = { rotate: rotateSteps, revoke: revokeSteps, sync: syncSteps }[command.action]({
      environment: command.environment,
      environmentsFile: environmentsFilePath(),
      runner: new ProcessRunner(),
      graceHours: command.graceHours,
      name: command.name,
      now: () => new Date(),
      reveal: (token, name, grants) => console.log(`\n  The new token named ${name} of ${command.environment} (shown once):\n\n    ${token}\n\n  It may use: ${grants}\n`),
    });
    await runSteps(steps, { dryRun: command.dryRun });
  });
}
