import { spawn } from 'node:child_process';

/** What a finished command printed. */
export interface CommandResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of one command run. */
export interface CommandOptions {
  /**
   * Written to the command's standard input (a secret value, never an argument).
   * @default - nothing
   */
  readonly input?: string;
  /**
   * Variables added to this process's environment.
   * @default - none
   */
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The working directory.
   * @default - this process's
   */
  readonly cwd?: string;
  /**
   * Stream the command's output to this process's stderr as it runs (long builds and deploys).
   * @default false
   */
  readonly stream?: boolean;
}

/**
 * Runs the clouds' command-line tools (`gcloud`, `aws`, `cdktf`, `docker`). The operator
 * commands talk to the clouds only through this, so tests swap it for a recording fake.
 */
export interface CommandRunner {
  run(command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult>;
}

/** A command that exited non-zero: names the command and carries the tool's own error. */
export class CommandError extends Error {
  override name = 'CommandError';
  constructor(
    readonly command: string,
    readonly args: readonly string[],
    readonly result: CommandResult,
  ) {
    const said = toolSays(result.stderr.trim() || result.stdout.trim());
    super(`${[command, ...args].join(' ')} exited with ${result.exitCode}${said ? `:\n    ${said}` : ''}`);
  }
}

/**
 * What a tool printed when it failed, short enough for a message: its non-empty lines, or, past a
 * dozen, the first three (where gcloud and aws put their `ERROR:` headline) and the last six.
 */
function toolSays(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  const kept = lines.length <= 12 ? lines : [...lines.slice(0, 3), '…', ...lines.slice(-6)];
  return kept.join('\n    ');
}

/** Runs a command and returns its output; throws {@link CommandError} when it exits non-zero. */
export async function runChecked(runner: CommandRunner, command: string, args: readonly string[], options?: CommandOptions): Promise<CommandResult> {
  const result = await runner.run(command, args, options);
  if (result.exitCode !== 0) throw new CommandError(command, args, result);
  return result;
}

/** The real thing: a child process per command. A missing tool is a clear error, not a spawn failure. */
export class ProcessRunner implements CommandRunner {
  run(command: string, args: readonly string[], options: CommandOptions = {}): Promise<CommandResult> {
    return new Promise((resolve, reject) => {
      const child = spawn(command, [...args], {
        cwd: options.cwd,
        env: { ...process.env, ...options.env },
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout.push(chunk);
        if (options.stream) process.stderr.write(chunk);
      });
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr.push(chunk);
        if (options.stream) process.stderr.write(chunk);
      });
      child.on('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'ENOENT' ? new Error(`${command}: not found on PATH; install it (the README's Deploy section lists the tools)`) : error),
      );
      child.on('close', (code) =>
        resolve({ exitCode: code ?? 1, stdout: Buffer.concat(stdout).toString('utf8'), stderr: Buffer.concat(stderr).toString('utf8') }),
      );
      if (options.input !== undefined) child.stdin!.end(options.input);
    });
  }
}
