// The pull request's contract comment: the script the workflow runs (`npm run contract -- diff`),
// run on a fixture (two environments, one production tier, a breaking change to the npm server and a
// compatible one to the Python server) and on a real git history, its Markdown and exit code checked.
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/contract-diff', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const ACKNOWLEDGED = JSON.parse(readFileSync(join(FIXTURE, 'head/live/memory.json'), 'utf8')).fingerprint as string;

/** Runs the contract script in `cwd`; resolves with its exit code and what it wrote. */
function contractDiff(cwd: string, args: string[], environmentsFile: string): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(TSX, [join(ROOT, 'ops/contract.ts'), 'diff', ...args], { cwd, env: { ...process.env, MCP_ENVIRONMENTS_FILE: environmentsFile }, timeout: 60_000 }, (error, _stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === 'number' ? error.code : 1, stderr }),
    );
  });
}

describe('the contract comment of a pull request', () => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'contract-comment-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  /** The fixture's environments file, the production-tier one acknowledging `acknowledged` if given. */
  const environments = (acknowledged?: string) => {
    const config = JSON.parse(readFileSync(join(FIXTURE, 'environments.json'), 'utf8'));
    if (acknowledged !== undefined) config.live.contract = { acknowledged: { memory: acknowledged } };
    const file = join(scratch, `environments-${acknowledged === undefined ? 'plain' : 'acknowledged'}.json`);
    writeFileSync(file, JSON.stringify(config));
    return file;
  };

  it('marks each change, and fails on a breaking change to production the config does not acknowledge', async () => {
    const comment = join(scratch, 'comment.md');
    const { code, stderr } = await contractDiff(ROOT, ['--base-dir', join(FIXTURE, 'base'), '--head-dir', join(FIXTURE, 'head'), '--comment', comment], environments());
    expect(code).toBe(1);
    const markdown = readFileSync(comment, 'utf8');
    expect(markdown).toContain('## Tool contracts');
    expect(markdown).toContain('### live (production tier)');
    expect(markdown).toContain('| memory | tool delete_entities: tool removed | **breaking** |');
    expect(markdown).toContain('| memory | tool search_nodes: required argument added at arguments.limit | **breaking** |');
    expect(markdown).toContain('| memory | tool export_graph: tool added | compatible |');
    expect(markdown).toContain('| notes | tool add_note: title or description changed at description | compatible |');
    expect(markdown).toContain(`- ❌ memory: breaking, not acknowledged: the production tier needs \`"contract": {"acknowledged": {"memory": "${ACKNOWLEDGED}"}}\``);
    // The non-production tier is shown the same changes, warned, not failed.
    expect(markdown).toMatch(/### trial \(non-production tier\)[\s\S]*⚠️ memory: breaking/);
    expect(stderr).toContain('live: server memory: tool delete_entities: tool removed');
    expect(stderr).not.toContain('trial: server');
  }, 60_000);

  it('passes once the production tier acknowledges the contract the change leads to, and says so', async () => {
    const comment = join(scratch, 'acknowledged.md');
    const { code } = await contractDiff(ROOT, ['--base-dir', join(FIXTURE, 'base'), '--head-dir', join(FIXTURE, 'head'), '--comment', comment], environments(ACKNOWLEDGED));
    expect(code).toBe(0);
    expect(readFileSync(comment, 'utf8')).toContain(`- ✅ memory: the breaking change is acknowledged (\`contract.acknowledged.memory\` is ${ACKNOWLEDGED}).`);
  }, 60_000);

  it('does not take an acknowledgement of another contract (a later breaking change needs its own)', async () => {
    const { code } = await contractDiff(ROOT, ['--base-dir', join(FIXTURE, 'base'), '--head-dir', join(FIXTURE, 'head'), '--comment', join(scratch, 'other.md')], environments(`sha256:${'0'.repeat(64)}`));
    expect(code).toBe(1);
  }, 60_000);

  it('reads the base from git, as the workflow does (--base <ref>), and says when nothing changed', async () => {
    const repository = join(scratch, 'repository');
    mkdirSync(repository);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repository, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } });
    git('init', '--quiet', '--initial-branch', 'main');
    cpSync(join(FIXTURE, 'base'), join(repository, 'contracts'), { recursive: true });
    // The config's Python server is a folder of the repository.
    cpSync(join(ROOT, 'stacks/examples/servers/notes'), join(repository, 'stacks/examples/servers/notes'), { recursive: true });
    git('add', '.');
    git('commit', '--quiet', '-m', 'base');
    const unchanged = await contractDiff(repository, ['--base', 'main', '--comment', join(scratch, 'unchanged.md')], environments());
    expect(unchanged.code).toBe(0);
    expect(readFileSync(join(scratch, 'unchanged.md'), 'utf8')).toMatch(/compared with `main`[\s\S]*### live \(production tier\)\n\nNo contract change\./);
    cpSync(join(FIXTURE, 'head'), join(repository, 'contracts'), { recursive: true });
    const changed = await contractDiff(repository, ['--base', 'main', '--comment', join(scratch, 'changed.md')], environments());
    expect(changed.code).toBe(1);
    expect(readFileSync(join(scratch, 'changed.md'), 'utf8')).toContain('| memory | tool delete_entities: tool removed | **breaking** |');
    const missing = await contractDiff(repository, ['--base', 'origin/nope'], environments());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--base origin/nope: no such commit here');
  }, 90_000);
});
