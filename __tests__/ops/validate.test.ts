// `npm run validate` against the real Terraform CLI and the real providers: from the filesystem
// mirror where this machine has one (/opt/tf-plugins, or $MCP_TF_MIRROR), at the mirror's version;
// otherwise from the registry at the pinned versions (a networked CI runner).
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthesize, type SynthesizedStack } from '../../ops/synthesize.js';
import { ProviderMirror, providerAddress, terraformPlatform } from '../../ops/terraform/provider-mirror.js';
import { TerraformCli } from '../../ops/terraform/terraform-cli.js';
import { UsageError } from '../../ops/runner/usage-error.js';
import { parseValidateArgs, validateStack, type ProviderSource } from '../../ops/validate.js';

const MIRROR = process.env.MCP_TF_MIRROR ?? '/opt/tf-plugins';
const OFFLINE = existsSync(MIRROR);
/** How these tests install providers: the mirror's versions here, the pinned ones from the registry elsewhere. */
const SOURCE: ProviderSource = OFFLINE ? { mirror: new ProviderMirror(MIRROR), mirrorVersions: true } : {};
const MIRROR_FLAGS = OFFLINE ? ['--mirror', MIRROR, '--mirror-versions'] : [];

/** Runs `npm run validate` (through tsx, as the script does) and collects its output. */
function runValidate(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('npx', ['tsx', 'ops/validate.ts', ...args], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr }),
    );
  });
}

const scratch = mkdtempSync(join(tmpdir(), 'validate-test-'));
let stacks: SynthesizedStack[];
let terraform: TerraformCli;
beforeAll(async () => {
  stacks = await synthesize(join(scratch, 'cdktf.out'));
  const cliConfig = join(scratch, 'terraform.rc');
  if (OFFLINE) writeFileSync(cliConfig, new ProviderMirror(MIRROR).cliConfig());
  terraform = new TerraformCli('terraform', OFFLINE ? { TF_CLI_CONFIG_FILE: cliConfig } : {});
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A synthesized stack, copied so a test can change its JSON. */
function copyOf(name: string, change: (config: Record<string, any>) => void): SynthesizedStack {
  const stack = stacks.find((candidate) => candidate.name === name)!;
  const directory = join(scratch, `changed-${name}-${Math.random().toString(36).slice(2)}`);
  cpSync(stack.directory, directory, { recursive: true });
  const file = join(directory, 'cdk.tf.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
  change(config);
  writeFileSync(file, JSON.stringify(config));
  return { name, directory };
}

describe('npm run validate', () => {
  it(
    `validates every stack it can with the real providers and names the ones it cannot, and why (${OFFLINE ? `mirror ${MIRROR}` : 'registry'})`,
    async () => {
      const { code, stdout, stderr } = await runValidate([...MIRROR_FLAGS, '--allow-unvalidated']);
      expect(stderr).toMatch(/\[1\/…\] synth: the cdktf app/);
      expect(stderr).toMatch(/\[11\/11\] staging-gcp: terraform init -backend=false, terraform validate/);
      for (const stack of ['staging-bootstrap-aws', 'staging-aws', 'staging-edge', 'production-bootstrap-aws', 'production-aws', 'production-edge']) {
        expect(stdout).toMatch(new RegExp(`\\] ${stack}: valid with hashicorp/aws ${OFFLINE ? '5\\.100\\.0 \\(pinned: 6\\.25\\.0\\)' : '6\\.25\\.0'} \\(\\d+\\.\\d s`));
      }
      if (OFFLINE) {
        expect(stdout).toMatch(/validate: terraform 1\.\d+\.\d+; providers only from the filesystem mirror .*, at the mirror's newest versions instead of the pinned ones/);
        for (const stack of ['staging-bootstrap-gcp', 'staging-gcp', 'production-bootstrap-gcp', 'production-gcp']) {
          expect(stdout).toMatch(new RegExp(`\\] ${stack}: NOT VALIDATED: needs registry\\.terraform\\.io/hashicorp/google 6\\.50\\.0; the mirror ${MIRROR} holds no version of it`));
        }
        expect(stdout).toMatch(
          /validate: 6 valid, 0 invalid, 4 not validated \(production-bootstrap-gcp, production-gcp, staging-bootstrap-gcp, staging-gcp: see their lines\) in \d+\.\d s\n$/,
        );
      } else {
        expect(stdout).toMatch(/validate: 10 valid, 0 invalid, 0 not validated in/);
      }
      expect(code).toBe(0);
    },
    300_000,
  );

  it('validates the multi-region example: a further AWS region\'s stack and the latency-routed edge, with the real provider', async () => {
    const { code, stdout } = await runValidate([...MIRROR_FLAGS, '--stacks', 'staging-aws*,staging-edge'], { MCP_ENVIRONMENTS_FILE: 'stacks/examples/global.json' });
    for (const stack of ['staging-aws', 'staging-aws-us-east-1', 'staging-edge']) expect(stdout).toMatch(new RegExp(`\\] ${stack}: valid with hashicorp/aws`));
    expect(stdout).toMatch(/validate: 3 valid, 0 invalid, 0 not validated/);
    expect(code).toBe(0);
  }, 300_000);

  it('fails a run in which a stack could not be validated, unless --allow-unvalidated', async () => {
    const mirror = mkdtempSync(join(scratch, 'empty-mirror-'));
    const { code, stdout } = await runValidate(['--mirror', mirror, '--stacks', 'staging-gcp']);
    expect(stdout).toMatch(/staging-gcp: NOT VALIDATED: needs registry\.terraform\.io\/hashicorp\/google 6\.50\.0; the mirror .* holds no version of it/);
    expect(stdout).toMatch(/0 valid, 0 invalid, 1 not validated .*; a stack that was not validated fails the run unless --allow-unvalidated/);
    expect(code).toBe(1);
  }, 120_000);

  it('reports what the real provider refuses, with the construct path: the reference name that broke staging-edge', async () => {
    const broken = copyOf('staging-edge', (config) => {
      for (const check of Object.values(config.resource.aws_route53_health_check) as any[]) check.reference_name = 'primary-mcp.staging.example.com';
    });
    const result = await validateStack(terraform, broken, SOURCE);
    expect(result.status).toBe('invalid');
    expect(result.status === 'invalid' && result.errors).toEqual([
      expect.stringMatching(
        /^staging-edge\/failover\/primary-health \(aws_route53_health_check\.failover_primary-health_[0-9A-F]+\): expected length of reference_name to be in the range \(0 - 27\), got primary-mcp\.staging\.example\.com$/,
      ),
    ]);
  }, 120_000);

  it('passes the staging edge stack as synthesized now (the fix for the reference name)', async () => {
    expect(await validateStack(terraform, stacks.find((stack) => stack.name === 'staging-edge')!, SOURCE)).toMatchObject({ status: 'valid' });
  }, 120_000);

  it('names the pinned version a mirror lacks, and the flag that validates against what it holds', async () => {
    if (!OFFLINE) return expect(SOURCE.mirror).toBeUndefined();
    const result = await validateStack(terraform, stacks.find((stack) => stack.name === 'staging-aws')!, { mirror: new ProviderMirror(MIRROR) });
    expect(result).toEqual({
      stack: 'staging-aws',
      status: 'not-validated',
      reason: `needs registry.terraform.io/hashicorp/aws 6.25.0; the mirror ${MIRROR} holds 5.100.0 (--mirror-versions validates against 5.100.0)`,
    });
  });
});

describe('validate command line', () => {
  it.each<[string[], RegExp]>([
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['--mirror-versions'], /--mirror-versions needs --mirror DIR/],
    [['--mirror', '/no/such/mirror'], /--mirror \/no\/such\/mirror: no such folder/],
    [['--stacks', ' , '], /--stacks: name at least one stack or pattern/],
    [['positional'], /Unexpected argument 'positional'/],
  ])('refuses %j with a message naming the flag', (args, message) => {
    expect(() => parseValidateArgs(args)).toThrowError(UsageError);
    expect(() => parseValidateArgs(args)).toThrowError(message);
  });

  it('exits 2 with the usage on a bad flag, and names a pattern that matches no stack', async () => {
    const bad = await runValidate(['--frobnicate']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/validate: Unknown option '--frobnicate'[\s\S]*usage: npm run validate -- \[options\]/);
    const unmatched = await runValidate([...MIRROR_FLAGS, '--stacks', 'qa-*']);
    expect(unmatched.code).toBe(2);
    expect(unmatched.stderr).toMatch(/--stacks qa-\*: matches no stack \(the stacks are production-aws, production-bootstrap-aws, production-bootstrap-gcp, production-edge, production-gcp, staging-aws, staging-bootstrap-aws, staging-bootstrap-gcp, staging-edge, staging-gcp\)/);
  }, 120_000);

  it('takes the terraform binary from $TERRAFORM_BINARY_NAME, and says so when it is missing', async () => {
    expect(parseValidateArgs([], { TERRAFORM_BINARY_NAME: '/opt/tf/terraform' }).terraform).toBe('/opt/tf/terraform');
    await expect(new TerraformCli('/no/such/terraform').version()).rejects.toThrowError(/\/no\/such\/terraform: not found; install Terraform >= 1\.10/);
  });
});

describe('a Terraform filesystem mirror', () => {
  it('lists the versions it holds for this platform, unpacked or packed, newest first', () => {
    const mirror = join(scratch, 'mirror');
    const platform = terraformPlatform();
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws/5.99.1', platform), { recursive: true });
    mkdirSync(join(mirror, 'registry.terraform.io/hashicorp/aws/6.0.0/windows_386'), { recursive: true });
    writeFileSync(join(mirror, 'registry.terraform.io/hashicorp/aws', `terraform-provider-aws_5.100.0_${platform}.zip`), '');
    expect(new ProviderMirror(mirror).versions(providerAddress('aws'))).toEqual(['5.100.0', '5.99.1']);
    expect(new ProviderMirror(mirror).versions(providerAddress('hashicorp/google'))).toEqual([]);
    expect(providerAddress('example.com/acme/thing')).toBe('example.com/acme/thing');
  });

  it('writes a CLI configuration that installs from the mirror only', () => {
    expect(new ProviderMirror(scratch).cliConfig()).toBe(`provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(scratch)}\n  }\n}\n`);
  });
});
