import type { BridgeSettings } from '../environment.js';
import type { ServerIdentity } from '../mcp/server.js';
import type { HealthReporter } from '../runtime.js';
import { tools } from '../tools/registry.js';
import { readServerList, type ServerListSource } from './server-list.js';
import { startServers, type ForwardedRequestRecord, type ServerSet } from './server-set.js';

/** Options of {@link startConfiguredServers}. */
export interface ConfiguredServersOptions {
  /** Where the server list is: a servers file (`MCP_SERVERS_FILE`) or inline JSON (`MCP_SERVERS`). */
  readonly source: ServerListSource;
  /** The entry's settings: the tool timeout. */
  readonly settings: BridgeSettings;
  /** Who the bridge says it is to its servers. */
  readonly identity: ServerIdentity;
  /** The process's health facts (the built-in tools use them). */
  readonly health: HealthReporter;
  /** The bridge's environment, where secrets named by reference are read. */
  readonly environment: Readonly<Record<string, string | undefined>>;
  /** Where log lines go. */
  readonly log: (line: string) => void;
  /** Records each forwarded request (the Node entry's metrics). */
  readonly onRequest?: (record: ForwardedRequestRecord) => void;
}

/**
 * Starts the servers a server list names, as an entry serves them (the `builtin` entry with this
 * repo's tools). A bad list or a server that cannot start rejects, naming it.
 */
export function startConfiguredServers(options: ConfiguredServersOptions): Promise<ServerSet> {
  return startServers(readServerList(options.source), {
    identity: options.identity,
    builtin: { tools, context: { health: options.health, timeoutMs: options.settings.app.toolTimeoutMs } },
    environment: options.environment,
    requestTimeoutMs: options.settings.app.toolTimeoutMs,
    log: options.log,
    ...(options.onRequest === undefined ? {} : { onRequest: options.onRequest }),
  });
}
