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

  it('reports a failed command with its command line, exit code and what it printed, headline first', async () => {
    const short = await runChecked(runner, node, ['-e', 'console.error("ERROR: (gcloud.x) You do not currently have an active account selected.\\n\\nPlease run:\\n  $ gcloud auth login"); process.exit(1)']).catch((error: unknown) => error);
    expect(short).toBeInstanceOf(CommandError);
    expect((short as Error).message).toMatch(/ exited with 1:\n {4}ERROR: \(gcloud\.x\) You do not currently have an active account selected\.\n {4}Please run:\n {4}  \$ gcloud auth login$/);
    const long = await runChecked(runner, node, ['-e', 'for (let i = 1; i <= 20; i++) console.error(`line ${i}`); process.exit(3)']).catch((error: unknown) => error);
    expect((long as Error).message).toMatch(/ exited with 3:\n {4}line 1\n {4}line 2\n {4}line 3\n {4}…\n {4}line 15\n {4}line 16\n {4}line 17\n {4}line 18\n {4}line 19\n {4}line 20$/);
  });

  it('names a tool that is not installed instead of failing to spawn', async () => {
    await expect(runner.run('gcloud-not-installed', ['version'])).rejects.toThrowError(/gcloud-not-installed: not found on PATH; install it/);
  });
});
