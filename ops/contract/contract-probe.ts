// A probe of the contract a deployed bridge serves: each server's tools/list (and its resources and
// prompts, when it has them) through a URL, with the official MCP client, fingerprinted as the
// snapshots are and compared with them. The smoke test and the game day run it through the failover name.
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { contractOf, fingerprintOf, type ServerContract } from '../../app/contract/contract.js';
import type { ServerCatalog } from '../../app/servers/upstream.js';
import { describeChange, diffContracts } from './contract-diff.js';
import { contractIn, type ContractSnapshot } from './snapshot-files.js';

/** What one server's endpoint lists, against its snapshot. */
export interface ProbedContract {
  readonly server: string;
  /** The fingerprint of what it lists. */
  readonly fingerprint: string;
  /** Its snapshot's. */
  readonly expected: string;
  /** From the snapshot to what it lists, one line each; empty when they are the same. */
  readonly differences: readonly string[];
}

/** Options of {@link probeContracts}. */
export interface ContractProbeOptions {
  /**
   * A bearer token (an environment in token or OAuth mode).
   * @default - no Authorization header
   */
  readonly token?: string;
  /** Aborts every request (the caller's deadline). */
  readonly signal: AbortSignal;
  /**
   * Whether each server is at `/servers/<name>/mcp` (an environment with `servers`), or the one server at `/mcp` (the built-in tools alone).
   * @default true
   */
  readonly perServer?: boolean;
}

/** Every page of a list. */
async function allPages<T>(page: (cursor: string | undefined) => Promise<{ nextCursor?: string | undefined } & Record<string, unknown>>, key: string): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const result = await page(cursor);
    items.push(...((result[key] as T[] | undefined) ?? []));
    cursor = result.nextCursor;
  } while (cursor !== undefined);
  return items;
}

/** What one endpoint lists, as a contract. */
async function listedContract(url: URL, options: ContractProbeOptions): Promise<ServerContract> {
  const client = new Client({ name: 'mcp-bridge-contract-probe', version: '1.0.0' });
  const headers: Record<string, string> = options.token === undefined ? {} : { Authorization: `Bearer ${options.token}` };
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { signal: options.signal, headers } }));
  try {
    const capabilities = client.getServerCapabilities() ?? {};
    const catalog: ServerCatalog = {
      tools: await allPages((cursor) => client.listTools(cursor === undefined ? {} : { cursor }), 'tools'),
      resources: capabilities.resources === undefined ? [] : await allPages((cursor) => client.listResources(cursor === undefined ? {} : { cursor }), 'resources'),
      resourceTemplates: capabilities.resources === undefined ? [] : await allPages((cursor) => client.listResourceTemplates(cursor === undefined ? {} : { cursor }), 'resourceTemplates'),
      prompts: capabilities.prompts === undefined ? [] : await allPages((cursor) => client.listPrompts(cursor === undefined ? {} : { cursor }), 'prompts'),
    };
    return contractOf(catalog);
  } finally {
    await client.close().catch(() => undefined);
  }
}

/**
 * Lists each snapshot's server at its endpoint under `baseUrl` and compares. Rejects naming the
 * endpoint when one cannot be listed.
 */
export async function probeContracts(baseUrl: string, snapshots: readonly ContractSnapshot[], options: ContractProbeOptions): Promise<ProbedContract[]> {
  const probed: ProbedContract[] = [];
  for (const snapshot of snapshots) {
    const url = new URL(options.perServer === false ? '/mcp' : `/servers/${snapshot.server}/mcp`, baseUrl);
    const listed = await listedContract(url, options).catch((error: Error) => {
      throw new Error(`${url.href}: could not list its contract: ${error.message}`);
    });
    const fingerprint = fingerprintOf(listed);
    const differences = fingerprint === snapshot.fingerprint ? [] : diffContracts(contractIn(snapshot), listed).map(describeChange);
    probed.push({ server: snapshot.server, fingerprint, expected: snapshot.fingerprint, differences });
  }
  return probed;
}

/** A probe's outcome in one line per server: `memory sha256:ab12…: as in its snapshot`, or what differs. */
export function describeProbe(probed: readonly ProbedContract[]): string {
  return probed
    .map(({ server, fingerprint, expected, differences }) =>
      fingerprint === expected ? `${server} ${fingerprint.slice(0, 19)}…: as in its snapshot` : `${server} ${fingerprint.slice(0, 19)}…, not its snapshot's ${expected.slice(0, 19)}…: ${differences.join('; ') || 'the same tools, listed differently'}`,
    )
    .join('\n');
}
