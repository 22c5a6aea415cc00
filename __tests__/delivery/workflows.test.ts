import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { matrixOutputs } from '../../ops/environments-matrix.js';
import { EXAMPLE_ENVIRONMENT_NAMES } from '../support/synth.js';

const load = (name: string): any => parse(readFileSync(`.github/workflows/${name}`, 'utf8'));
const runs = (job: any): string => job.steps.map((step: any) => step.run ?? '').join('\n');
const uses = (job: any): string[] => job.steps.map((step: any) => step.uses).filter(Boolean);
const everyStack = EXAMPLE_ENVIRONMENT_NAMES.flatMap((env) => ['bootstrap-gcp', 'bootstrap-aws', 'gcp', 'aws', 'edge'].map((kind) => `${env}-${kind}`));

describe('the pull-request workflow', () => {
  const workflow = load('pull-request.yml');

  it('runs on pull requests and installs, tests, synthesizes and validates with the pinned providers', () => {
    expect(Object.keys(workflow.on)).toEqual(['pull_request']);
    expect(runs(workflow.jobs.test)).toMatch(/npm ci[\s\S]*npm test[\s\S]*npm run synth[\s\S]*npm run validate$/m);
    // The registry's pinned providers: no mirror, no version override, nothing allowed to go unvalidated.
    expect(runs(workflow.jobs.test)).not.toMatch(/--mirror|--allow-unvalidated/);
    expect(uses(workflow.jobs.test)).toContain('hashicorp/setup-terraform@v3');
    // The README's test command is all the set-up: the tests make their own Python env, nothing is pip-installed beside them.
    expect(runs(workflow.jobs.test)).not.toMatch(/pip install/);
  });

  it('diffs every stack of every environment of the config in a matrix the config gives, after the tests and validation', () => {
    const diff = workflow.jobs.diff;
    expect(diff.needs).toBe('test');
    expect(diff.strategy.matrix.include).toBe('${{ fromJSON(needs.test.outputs.stacks) }}');
    expect(workflow.jobs.test.outputs.stacks).toBe('${{ steps.matrix.outputs.stacks }}');
    expect(workflow.jobs.test.steps.find((step: any) => step.id === 'matrix').run).toBe('npm run --silent environments-matrix >> "$GITHUB_OUTPUT"');
    // No GitHub environment: the token's subject is then the pull request's, what the plan identities trust.
    expect(diff.environment).toBeUndefined();
    expect(JSON.stringify(diff.steps)).toContain("vars[format('{0}_AWS_PLAN_ROLE_ARN', matrix.variablePrefix)]");
    expect(runs(diff)).toContain('npx cdktf diff ${{ matrix.stack }}');
  });

  it('gets its matrices from stacks/environments.json: every stack, each with its environment, in deploy order', () => {
    const lines = matrixOutputs(readFileSync('stacks/environments.json', 'utf8'));
    expect(lines[0]).toBe(`environments=${JSON.stringify(EXAMPLE_ENVIRONMENT_NAMES)}`);
    const stacks = JSON.parse(lines[1]!.slice('stacks='.length)) as Array<{ stack: string; environment: string }>;
    expect(stacks.map((entry) => entry.stack)).toEqual(everyStack);
    for (const { stack, environment } of stacks) expect(stack.startsWith(`${environment}-`)).toBe(true);
  });

  it('takes any environments and every further AWS region\'s stack from the config (the multi-region example)', () => {
    const lines = matrixOutputs(readFileSync('stacks/examples/global.json', 'utf8'));
    expect(lines[0]).toBe('environments=["dev","staging","production"]');
    const stacks = (JSON.parse(lines[1]!.slice('stacks='.length)) as Array<{ stack: string }>).map((entry) => entry.stack);
    expect(stacks.filter((stack) => stack.startsWith('staging-'))).toEqual([
      'staging-bootstrap-gcp', 'staging-bootstrap-aws', 'staging-gcp', 'staging-aws', 'staging-aws-us-east-1', 'staging-edge',
    ]);
    expect(stacks).toHaveLength(17);
  });

  it('gets cloud credentials by OIDC only, with no long-lived keys', () => {
    expect(workflow.permissions['id-token']).toBe('write');
    const text = readFileSync('.github/workflows/pull-request.yml', 'utf8');
    expect(text).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|credentials_json|secrets\./);
    expect(uses(workflow.jobs.diff)).toEqual(
      expect.arrayContaining(['google-github-actions/auth@v2', 'aws-actions/configure-aws-credentials@v4']),
    );
    const aws = workflow.jobs.diff.steps.find((step: any) => step.uses === 'aws-actions/configure-aws-credentials@v4');
    expect(aws.with['role-to-assume']).toBeTruthy();
    const gcp = workflow.jobs.diff.steps.find((step: any) => step.uses === 'google-github-actions/auth@v2');
    expect(gcp.with.workload_identity_provider).toBeTruthy();
  });

  it('posts each diff as a pull-request comment', () => {
    expect(workflow.permissions['pull-requests']).toBe('write');
    const comment = workflow.jobs.diff.steps.find((step: any) => String(step.uses).startsWith('marocchino/sticky-pull-request-comment'));
    expect(comment.with).toMatchObject({ header: 'diff-${{ matrix.stack }}', path: 'diff.txt' });
  });

  it('posts the tool contracts\' diff against the base branch beside them (the script is tested on a fixture in __tests__/ops/contract-comment.test.ts)', () => {
    const job = workflow.jobs.contract;
    expect(job.steps.find((step: any) => step.uses === 'actions/checkout@v4').with['fetch-depth']).toBe(0);
    expect(runs(job)).toMatch(/npm ci[\s\S]*npm run --silent contract -- diff --base "origin\/\$BASE_REF" --comment contract-diff\.md/);
    // The base ref reaches the shell as a variable, never spliced into the script.
    expect(runs(job)).not.toContain('${{');
    expect(job.steps.find((step: any) => step.name === 'Contract diff').env.BASE_REF).toBe('${{ github.base_ref }}');
    const comment = job.steps.find((step: any) => String(step.uses).startsWith('marocchino/sticky-pull-request-comment'));
    expect(comment.with).toEqual({ header: 'contract-diff', path: 'contract-diff.md' });
    expect(comment.if).toMatch(/always\(\)/);
  });
});

describe('the deploy workflows', () => {
  const deploy = load('deploy.yml');
  const environment = load('deploy-environment.yml');

  it('deploy on push to main, one at a time, after tests with every real client', () => {
    expect(runs(deploy.jobs.test)).toMatch(/npm ci[\s\S]*npm test/);
    expect(runs(deploy.jobs.test)).not.toMatch(/pip install/);
    expect(deploy.on.push.branches).toEqual(['main']);
    expect(deploy.concurrency).toEqual({ group: 'deploy', 'cancel-in-progress': false });
  });

  it('deploy every environment of the config after the tests, one at a time in the file\'s order, stopping at a failure', () => {
    expect(deploy.jobs.deploy).toMatchObject({
      needs: 'test',
      uses: './.github/workflows/deploy-environment.yml',
      with: { environment: '${{ matrix.environment }}' },
      strategy: { 'max-parallel': 1, 'fail-fast': true, matrix: { environment: '${{ fromJSON(needs.test.outputs.environments) }}' } },
    });
    expect(deploy.jobs.test.outputs.environments).toBe('${{ steps.matrix.outputs.environments }}');
  });

  it('run each environment in its GitHub environment (production has required reviewers)', () => {
    expect(environment.jobs.deploy.environment).toBe('${{ inputs.environment }}');
  });

  it('release with the same command a person runs (npm run deploy), then record the pinned digest and the released contract', () => {
    const script = runs(environment.jobs.deploy);
    expect(script).toContain('npm run deploy -- ${{ inputs.environment }}');
    expect(script.indexOf('npm run deploy')).toBeLessThan(script.indexOf('git commit -am'));
    // The contract released to all traffic (contracts/<env>/released.json, new on the first release) is committed with it.
    expect(script.indexOf('git add contracts/')).toBeGreaterThan(script.indexOf('npm run deploy'));
    expect(script.indexOf('git add contracts/')).toBeLessThan(script.indexOf('git commit -am'));
    expect(script).not.toMatch(/cdktf deploy|gcloud builds submit/);
    const step = environment.jobs.deploy.steps.find((candidate: any) => String(candidate.run).startsWith('npm run deploy'));
    expect(step.env).toEqual({ MCP_SMOKE_TOKEN: '${{ secrets.MCP_SMOKE_TOKEN }}' });
  });

  it('use OIDC credentials only', () => {
    expect(environment.permissions['id-token']).toBe('write');
    // The only secret is the smoke test's bearer token; cloud access is OIDC.
    expect(readFileSync('.github/workflows/deploy-environment.yml', 'utf8').replace('secrets.MCP_SMOKE_TOKEN', '')).not.toMatch(/AWS_SECRET_ACCESS_KEY|credentials_json|secrets\./);
  });
});

describe('the image build', () => {
  it('Cloud Build pushes to the environment repository tagged with the commit and prints the digest', () => {
    const build = parse(readFileSync('deploy/cloudbuild.yaml', 'utf8'));
    expect(build.substitutions._IMAGE).toBe('${_REGION}-docker.pkg.dev/${PROJECT_ID}/mcp-bridge-${_ENVIRONMENT}/bridge');
    expect(build.steps.map((step: any) => step.id)).toEqual(['build', 'push', 'digest']);
    expect(build.steps[0].args).toContain('${_IMAGE}:${SHORT_SHA}');
    expect(build.steps[2].args.join(' ')).toMatch(/image_summary\.digest/);
  });

  it('the Dockerfile builds in one stage and runs the bundle as non-root on Node 22 in another', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+) AS (\w+)$/gm)].map((match) => [match[1], match[2]]);
    expect(stages).toEqual([
      ['node:22-bookworm-slim', 'build'],
      ['gcr.io/distroless/nodejs22-debian12:nonroot', 'run'],
    ]);
    expect(dockerfile).toMatch(/RUN npm run build/);
    expect(dockerfile).toMatch(/^USER nonroot$/m);
    expect(dockerfile).toMatch(/PORT=8080/);
    expect(readFileSync('.dockerignore', 'utf8')).toMatch(/^node_modules$/m);
  });
});
