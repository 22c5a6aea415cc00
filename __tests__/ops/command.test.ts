// The real command runner every operator command talks to the clouds through: real child processes.
import { describe, expect, it } from 'vitest';
import { CommandError, ProcessRunner, runChecked } from '../../ops/clouds/command.js';

const runner = new ProcessRunner();
const node = process.execPath;

describe('the process runner', () => {
  it('passes standard input (how secret values travel, never as arguments), extra variables, and collects both outputs', async () => {
    const result = await runner.run(node, ['-e', 'process.stdin.pipe(process.stdout); console.error(process.env.EXTRA)'], { input: 'digest-value', env: { EXTRA: 'set' } });
    expect(result).toEqual({ exitCode: 0, stdout: 'digest-value', stderr: 'set\n' });
  });

  it('reports a failed command with its command line, exit code and the last lines it printed', async () => {
    const failure = await runChecked(runner, node, ['-e', 'for (let i = 1; i <= 8; i++) console.error(`line ${i}`); process.exit(3)']).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandError);
    expect((failure as Error).message).toMatch(/ -e for \(let i = 1.* exited with 3:\n {4}line 3\n {4}line 4\n {4}line 5\n {4}line 6\n {4}line 7\n {4}line 8$/);
  });

  it('names a tool that is not installed instead of failing to spawn', async () => {
    await expect(runner.run('gcloud-not-installed', ['version'])).rejects.toThrowError(/gcloud-not-installed: not found on PATH; install it/);
  });
});
