// `npm run validate`: synthesize every stack, then `terraform init -backend=false` and
// `terraform validate` each one with the real providers. One result line per stack on stdout,
// progress on stderr, exit 1 when a stack is invalid (or could not be validated, unless
// --allow-unvalidated). Run with --help for the options.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthesize, type SynthesizedStack } from './synthesize.js';
import { StepLog } from './runner/step-log.js';
import { runCli } from './runner/cli.js';
import { parseCommandLine } from './runner/command-line.js';
import { UsageError } from './runner/usage-error.js';
import { ProviderMirror, providerAddress } from './terraform/provider-mirror.js';
import { errorHeadlines, TerraformCli, type TerraformDiagnostic } from './terraform/terraform-cli.js';

/** How a stack's providers are installed for validation. */
export interface ProviderSource {
  /**
   * A Terraform filesystem mirror to install every provider from (and nowhere else).
   * @default - Terraform's standard places: the CLI configuration, `TF_PLUGIN_CACHE_DIR`, the registry
   */
  readonly mirror?: ProviderMirror;
  /**
   * Validate against the newest version the mirror holds instead of the version the stack pins
   * (a mirror that lags the pin can still catch what the provider rejects). Needs `mirror`.
   * @default false
   */
  readonly mirrorVersions?: boolean;
}

/** A provider a stack was (or would have been) validated with. */
export interface ProviderUsed {
  readonly address: string;
  readonly pinned: string;
  /** The version validated against: the pin, or the mirror's when `mirrorVersions` is on. */
  readonly version: string;
}

/** The outcome for one stack. */
export type StackValidation =
  | { readonly stack: string; readonly status: 'valid'; readonly providers: readonly ProviderUsed[]; readonly warnings: readonly string[] }
  | { readonly stack: string; readonly status: 'invalid'; readonly providers: readonly ProviderUsed[]; readonly errors: readonly string[] }
  | { readonly stack: string; readonly status: 'not-validated'; readonly reason: string };

/** Messages of Terraform's `init` that mean a provider could not be installed (not that the configuration is wrong). */
const PROVIDER_INSTALL_FAILURE = /Failed to (query available provider packages|install provider)|Incompatible provider version|could not connect to registry|Failed to resolve provider/i;

/** The providers a synthesized stack requires, with the versions it pins. */
function requiredProviders(config: Record<string, any>): Array<{ name: string; address: string; pinned: string }> {
  const required: Record<string, { source?: string; version?: string }> = config.terraform?.required_providers ?? {};
  return Object.entries(required).map(([name, { source, version }]) => ({
    name,
    address: providerAddress(source ?? name),
    pinned: version ?? '(any)',
  }));
}

/**
 * Decides each provider's version and writes it into the stack's copy; returns a reason instead
 * when the mirror cannot supply one.
 */
function chooseProviders(config: Record<string, any>, source: ProviderSource): ProviderUsed[] | string {
  const used: ProviderUsed[] = [];
  for (const { name, address, pinned } of requiredProviders(config)) {
    if (source.mirror === undefined) {
      used.push({ address, pinned, version: pinned });
      continue;
    }
    const held = source.mirror.versions(address);
    if (held.length === 0) return `needs ${address} ${pinned}; the mirror ${source.mirror.path} holds no version of it`;
    if (source.mirrorVersions) {
      used.push({ address, pinned, version: held[0]! });
      config.terraform.required_providers[name].version = held[0];
    } else if (held.includes(pinned)) {
      used.push({ address, pinned, version: pinned });
    } else {
      return `needs ${address} ${pinned}; the mirror ${source.mirror.path} holds ${held.join(', ')} (--mirror-versions validates against ${held[0]})`;
    }
  }
  return used;
}

/** `TYPE.NAME` of a diagnostic, with the construct path cdktf recorded for that resource. */
function describeAddress(config: Record<string, any>, address: string | undefined): string {
  if (address === undefined) return '(configuration)';
  const [kind, type, name] = address.startsWith('data.') ? ['data', ...address.slice(5).split('.')] : ['resource', ...address.split('.')];
  const path = config[kind!]?.[type!]?.[name!]?.['//']?.metadata?.path as string | undefined;
  return path === undefined ? address : `${path} (${address})`;
}

function formatDiagnostic(config: Record<string, any>, diagnostic: TerraformDiagnostic): string {
  const detail = diagnostic.detail ? `: ${diagnostic.detail.replace(/\s+/g, ' ').trim()}` : '';
  return `${describeAddress(config, diagnostic.address)}: ${diagnostic.summary}${detail}`;
}

/**
 * Validates one synthesized stack in a scratch copy of its folder (so `.terraform` and the
 * lock file never land in the synth output): `terraform init -backend=false`, then
 * `terraform validate -json`.
 */
export async function validateStack(terraform: TerraformCli, stack: SynthesizedStack, source: ProviderSource): Promise<StackValidation> {
  const config = JSON.parse(readFileSync(join(stack.directory, 'cdk.tf.json'), 'utf8')) as Record<string, any>;
  const providers = chooseProviders(config, source);
  if (typeof providers === 'string') return { stack: stack.name, status: 'not-validated', reason: providers };

  const scratch = mkdtempSync(join(tmpdir(), `validate-${stack.name}-`));
  try {
    cpSync(stack.directory, scratch, { recursive: true });
    writeFileSync(join(scratch, 'cdk.tf.json'), JSON.stringify(config, null, 2));
    const init = await terraform.run(scratch, ['init', '-backend=false', '-input=false', '-no-color']);
    if (init.exitCode !== 0) {
      const output = `${init.stderr}\n${init.stdout}`;
      const headlines = errorHeadlines(output);
      if (PROVIDER_INSTALL_FAILURE.test(output)) {
        return { stack: stack.name, status: 'not-validated', reason: `terraform init could not install the providers: ${headlines.join('; ')}` };
      }
      return { stack: stack.name, status: 'invalid', providers, errors: headlines.length > 0 ? headlines : [output.trim()] };
    }
    const validate = await terraform.run(scratch, ['validate', '-json', '-no-color']);
    const report = JSON.parse(validate.stdout) as { valid: boolean; diagnostics: TerraformDiagnostic[] };
    const of = (severity: TerraformDiagnostic['severity']) =>
      report.diagnostics.filter((diagnostic) => diagnostic.severity === severity).map((diagnostic) => formatDiagnostic(config, diagnostic));
    return report.valid
      ? { stack: stack.name, status: 'valid', providers, warnings: of('warning') }
      : { stack: stack.name, status: 'invalid', providers, errors: of('error') };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** One line for a stack's outcome; errors and warnings follow, indented. */
export function describeValidation(result: StackValidation): string {
  const versions = (providers: readonly ProviderUsed[]) =>
    providers
      .map(({ address, version, pinned }) => `${address.replace(/^registry\.terraform\.io\//, '')} ${version}${version === pinned ? '' : ` (pinned: ${pinned})`}`)
      .join(', ');
  switch (result.status) {
    case 'valid':
      return [`${result.stack}: valid with ${versions(result.providers)}`, ...result.warnings.map((line) => `    warning: ${line}`)].join('\n');
    case 'invalid':
      return [`${result.stack}: INVALID with ${versions(result.providers)}`, ...result.errors.map((line) => `    error: ${line}`)].join('\n');
    case 'not-validated':
      return `${result.stack}: NOT VALIDATED: ${result.reason}`;
  }
}

/** Glob patterns as `cdktf deploy` takes them (`staging-*`), matched against stack names. */
function selectStacks<T extends { name: string }>(stacks: readonly T[], patterns: readonly string[]): T[] {
  if (patterns.length === 0) return [...stacks];
  const matchers = patterns.map((pattern) => ({
    pattern,
    regex: new RegExp(`^${pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`),
  }));
  const unmatched = matchers.filter(({ regex }) => !stacks.some((stack) => regex.test(stack.name)));
  if (unmatched.length > 0) {
    throw new UsageError(
      `--stacks ${unmatched.map(({ pattern }) => pattern).join(',')}: matches no stack (the stacks are ${stacks.map((stack) => stack.name).join(', ')})`,
    );
  }
  return stacks.filter((stack) => matchers.some(({ regex }) => regex.test(stack.name)));
}


export const USAGE = `usage: npm run validate -- [options]

Synthesizes every stack, then runs terraform init -backend=false and terraform validate on each.

  --stacks PATTERN[,PATTERN]  only these stacks (globs as cdktf takes them: 'staging-*')
  --mirror DIR                install providers only from this Terraform filesystem mirror
                              (default: Terraform's standard places: the registry, TF_PLUGIN_CACHE_DIR,
                              your CLI configuration)
  --mirror-versions           with --mirror: validate against the newest version the mirror holds
                              instead of the version the stacks pin (said in each stack's line)
  --allow-unvalidated         a stack whose providers cannot be installed is reported as NOT
                              VALIDATED without failing the run (exit 0 if nothing is invalid)
  --terraform BIN             the terraform binary (default: $TERRAFORM_BINARY_NAME or terraform)
  --help                      this text`;

/** The parsed command line. */
export interface ValidateCommand {
  readonly stacks: readonly string[];
  readonly source: ProviderSource;
  readonly allowUnvalidated: boolean;
  readonly terraform: string;
  readonly help: boolean;
}

/** Parses the command line; throws {@link UsageError} naming the flag that is wrong. */
export function parseValidateArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ValidateCommand {
  const { values } = parseCommandLine({
    args: [...args],
    options: {
      stacks: { type: 'string' },
      mirror: { type: 'string' },
      'mirror-versions': { type: 'boolean', default: false },
      'allow-unvalidated': { type: 'boolean', default: false },
      terraform: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    allowPositionals: false,
  });
  if (values['mirror-versions'] && values.mirror === undefined) throw new UsageError('--mirror-versions needs --mirror DIR');
  const stacks = (values.stacks ?? '').split(',').map((pattern) => pattern.trim()).filter((pattern) => pattern !== '');
  if (values.stacks !== undefined && stacks.length === 0) throw new UsageError('--stacks: name at least one stack or pattern');
  let mirror: ProviderMirror | undefined;
  try {
    mirror = values.mirror === undefined ? undefined : new ProviderMirror(resolve(values.mirror));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    stacks,
    source: { ...(mirror === undefined ? {} : { mirror }), mirrorVersions: values['mirror-versions'] },
    allowUnvalidated: values['allow-unvalidated'],
    terraform: values.terraform ?? env.TERRAFORM_BINARY_NAME ?? 'terraform',
    help: values.help,
  };
}

/** The environment Terraform runs with: the mirror's CLI configuration, or a shared plugin cache. */
function terraformEnvironment(source: ProviderSource, scratch: string): Record<string, string> {
  if (source.mirror !== undefined) {
    const cliConfig = join(scratch, 'terraform.rc');
    writeFileSync(cliConfig, source.mirror.cliConfig());
    return { TF_CLI_CONFIG_FILE: cliConfig };
  }
  // Each stack is initialized in its own folder: a plugin cache downloads each provider once
  // (Terraform uses the cache folder only if it exists).
  const cache = process.env.TF_PLUGIN_CACHE_DIR || resolve('.terraform/plugin-cache');
  mkdirSync(cache, { recursive: true });
  return { TF_PLUGIN_CACHE_DIR: cache };
}

/** Runs the command; returns the exit code. */
export async function runValidate(command: ValidateCommand): Promise<number> {
  const scratch = mkdtempSync(join(tmpdir(), 'validate-'));
  try {
    const terraform = new TerraformCli(command.terraform, terraformEnvironment(command.source, scratch));
    const version = await terraform.version();
    const { mirror, mirrorVersions } = command.source;
    console.log(
      `validate: terraform ${version}; providers ${
        mirror === undefined
          ? 'from the standard places (registry, TF_PLUGIN_CACHE_DIR, CLI configuration), at the pinned versions'
          : `only from the filesystem mirror ${mirror.path}, ${mirrorVersions ? "at the mirror's newest versions instead of the pinned ones" : 'at the pinned versions'}`
      }`,
    );

    const log = new StepLog(undefined);
    const synthesized = await log.step(
      'synth: the cdktf app (cdktf.json) for every environment',
      () => synthesize(join(scratch, 'cdktf.out')),
      (stacks) => `synth: ${stacks.length} stacks`,
    );
    const stacks = selectStacks(synthesized, command.stacks);
    log.total = 1 + stacks.length;

    const results: StackValidation[] = [];
    for (const stack of stacks) {
      results.push(
        await log.step(
          `${stack.name}: terraform init -backend=false, terraform validate`,
          () => validateStack(terraform, stack, command.source),
          describeValidation,
        ),
      );
    }

    const count = (status: StackValidation['status']) => results.filter((result) => result.status === status).length;
    const [valid, invalid, unvalidated] = [count('valid'), count('invalid'), count('not-validated')];
    const failed = invalid > 0 || (unvalidated > 0 && !command.allowUnvalidated);
    console.log(
      `validate: ${valid} valid, ${invalid} invalid, ${unvalidated} not validated${
        unvalidated > 0 ? ` (${results.filter((r) => r.status === 'not-validated').map((r) => r.stack).join(', ')}: see their lines)` : ''
      } in ${log.elapsed}${unvalidated > 0 && !command.allowUnvalidated ? '; a stack that was not validated fails the run unless --allow-unvalidated' : ''}`,
    );
    return failed ? 1 : 0;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await runCli('validate', USAGE, () => parseValidateArgs(process.argv.slice(2)), async (command) => {
    return runValidate(command);
  });
}
