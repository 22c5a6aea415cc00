import type { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import type { Writable } from 'node:stream';

/**
 * Makes a stdio transport hand the child every message sent in one turn of the event loop in one
 * write: the first send of a turn corks the child's stdin and the turn's end (`setImmediate`)
 * uncorks it. Under load, requests from many HTTP connections arrive in the same turn, and one
 * system call per request to the child was the largest single cost of a forwarded call; the child
 * also reads them in fewer chunks. A message waits at most until the loop's check phase, which
 * comes before any answer could be read anyway.
 *
 * The instance's `send` is wrapped, not the class extended: the SDK's disposable-sibling version
 * probe runs only for its exact base class.
 */
export function coalesceStdinWrites(transport: StdioClientTransport): void {
  const send = transport.send.bind(transport);
  let corked = false;
  transport.send = (message) => {
    const stdin = childStdin(transport);
    if (stdin !== undefined && !corked) {
      corked = true;
      stdin.cork();
      setImmediate(() => {
        corked = false;
        stdin.uncork();
      });
    }
    return send(message);
  };
}

/**
 * The running child's stdin. The SDK does not expose it; it keeps the child in `_process` (SDK 2.x).
 * If that changes, writes go out one by one as before (the test of this module then fails).
 */
export function childStdin(transport: StdioClientTransport): Writable | undefined {
  return (transport as unknown as { _process?: { stdin?: Writable | null } })._process?.stdin ?? undefined;
}
