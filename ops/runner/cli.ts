import { UsageError } from './usage-error.js';

/**
 * Runs an operator command's entry point the same way for every command: `--help` prints the
 * usage; a {@link UsageError} prints the message and the usage and exits 2; any other error
 * prints `<command>: <message>` and exits 1; otherwise the exit code `run` returns (0 by default).
 */
export async function runCli<T extends { readonly help: boolean }>(
  name: string,
  usage: string,
  parse: () => T,
  run: (command: T) => Promise<number | void>,
): Promise<void> {
  try {
    const command = parse();
    if (command.help) {
      console.log(usage);
      return;
    }
    process.exitCode = (await run(command)) ?? 0;
  } catch (error) {
    console.error(`${name}: ${(error as Error).message}`);
    if (error instanceof UsageError) console.error(usage);
    process.exitCode = error instanceof UsageError ? 2 : 1;
  }
}
