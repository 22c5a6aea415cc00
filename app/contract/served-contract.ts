import type { ServerCatalog } from '../servers/upstream.js';
import { catalogFingerprint, combinedFingerprint } from './contract.js';

/** The contract a bridge serves now: `/mcp`'s fingerprint and each server's, as `/health` shows them. */
export interface ServedContract {
  /** What `/mcp` serves: every server's contract under its name. */
  readonly fingerprint: string;
  /** Each server's own contract (what `/servers/<name>/mcp` serves), by name, in configured order. */
  readonly servers: Readonly<Record<string, string>>;
}

/** A server as far as its contract goes: its name and what it lists now. */
export interface ListingServer {
  readonly name: string;
  catalog(): ServerCatalog;
}

/**
 * The contract a set of servers serves, read afresh from their catalogs and taken again only when
 * one of them changed (a server's `list_changed`).
 */
export function servedContract(servers: readonly ListingServer[]): () => ServedContract {
  let seen: readonly ServerCatalog[] = [];
  let current: ServedContract | undefined;
  const changed = () => {
    if (current === undefined) return true;
    for (let index = 0; index < servers.length; index += 1) if (servers[index]!.catalog() !== seen[index]) return true;
    return false;
  };
  return () => {
    if (changed()) {
      const catalogs = servers.map((server) => server.catalog());
      seen = catalogs;
      const byServer = Object.fromEntries(servers.map((server, index) => [server.name, catalogFingerprint(catalogs[index]!)]));
      current = { fingerprint: combinedFingerprint(byServer), servers: byServer };
    }
    return current!;
  };
}
