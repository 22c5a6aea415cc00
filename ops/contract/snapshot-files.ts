// The contract snapshots of the repository: `contracts/<env>/<server>.json`, one per configured
// server, written in a stable order so that a pull request's diff of them is the contract's diff.
import canonicalize from 'canonicalize';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMPLICIT_BUILTIN_SERVER } from '../../app/auth/access-rules.js';
import { combinedFingerprint, fingerprintOf, type ServerContract } from '../../app/contract/contract.js';
import type { EnvironmentConfig } from '../../stacks/config.js';

/** Where the snapshots are, under the repository root. */
export const CONTRACTS_DIRECTORY = 'contracts';

/** The file deploy writes once a release serves 100% of traffic: the contract both clouds serve. */
export const RELEASED_FILE = 'released.json';

/** One server's snapshot: its contract and the contract's fingerprint (the one its endpoint's `serverInfo._meta` and `/health` show). */
export interface ContractSnapshot extends ServerContract {
  readonly server: string;
  readonly fingerprint: string;
}

/** A server's snapshot of a contract. */
export function snapshotOf(server: string, contract: ServerContract): ContractSnapshot {
  return { server, fingerprint: fingerprintOf(contract), ...contract };
}

/** The contract a snapshot holds, without its name and fingerprint. */
export function contractIn(snapshot: ContractSnapshot): ServerContract {
  return { tools: snapshot.tools, resources: snapshot.resources, resourceTemplates: snapshot.resourceTemplates, prompts: snapshot.prompts };
}

/** A value as the files hold it: keys in canonical (RFC 8785) order, two-space indented, a final newline. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(JSON.parse(canonicalize(value) ?? 'null'), null, 2)}\n`;
}

/** The folder of an environment's snapshots. */
export function environmentContractsDirectory(root: string, environment: string): string {
  return join(root, CONTRACTS_DIRECTORY, environment);
}

/** The file of one server's snapshot. */
export function snapshotFile(root: string, environment: string, server: string): string {
  return join(environmentContractsDirectory(root, environment), `${server}.json`);
}

/** Reads a snapshot's text; throws naming the file when it is not one. */
export function parseSnapshot(text: string, file: string): ContractSnapshot {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not JSON (${(error as Error).message}): write it again with npm run contract`);
  }
  const snapshot = value as Partial<ContractSnapshot>;
  const lists = ['tools', 'resources', 'resourceTemplates', 'prompts'] as const;
  if (typeof snapshot !== 'object' || snapshot === null || typeof snapshot.server !== 'string' || lists.some((list) => !Array.isArray(snapshot[list]))) {
    throw new Error(`${file}: not a contract snapshot (server, fingerprint, tools, resources, resourceTemplates, prompts): write it again with npm run contract`);
  }
  return snapshot as ContractSnapshot;
}

/** The snapshots of an environment in the repository, by server name (none when it has no folder). */
export function readSnapshots(root: string, environment: string): Map<string, ContractSnapshot> {
  return readSnapshotsIn(environmentContractsDirectory(root, environment));
}

/** The snapshots in a folder of `<server>.json` files, by server name (none when there is no folder). */
export function readSnapshotsIn(directory: string): Map<string, ContractSnapshot> {
  const snapshots = new Map<string, ContractSnapshot>();
  if (!existsSync(directory)) return snapshots;
  for (const entry of readdirSync(directory).sort()) {
    if (!entry.endsWith('.json') || entry === RELEASED_FILE) continue;
    const file = join(directory, entry);
    snapshots.set(entry.slice(0, -'.json'.length), parseSnapshot(readFileSync(file, 'utf8'), file));
  }
  return snapshots;
}

/** What writing an environment's snapshots changed, or (checking) would change: files by name. */
export interface SnapshotChanges {
  readonly written: readonly string[];
  readonly removed: readonly string[];
  readonly unchanged: readonly string[];
}

/**
 * Writes an environment's snapshots (or, with `check`, only compares): one file per server, and the
 * files of servers no longer configured removed. The released record is left alone.
 */
export function writeSnapshots(root: string, environment: string, snapshots: readonly ContractSnapshot[], options: { readonly check?: boolean } = {}): SnapshotChanges {
  const directory = environmentContractsDirectory(root, environment);
  const written: string[] = [];
  const unchanged: string[] = [];
  const wanted = new Set(snapshots.map((snapshot) => `${snapshot.server}.json`));
  for (const snapshot of snapshots) {
    const file = snapshotFile(root, environment, snapshot.server);
    const text = stableJson(snapshot);
    if (existsSync(file) && readFileSync(file, 'utf8') === text) {
      unchanged.push(file);
      continue;
    }
    written.push(file);
    if (options.check) continue;
    mkdirSync(directory, { recursive: true });
    writeFileSync(file, text);
  }
  const removed = existsSync(directory) ? readdirSync(directory).filter((entry) => entry.endsWith('.json') && entry !== RELEASED_FILE && !wanted.has(entry)).map((entry) => join(directory, entry)) : [];
  if (!options.check) for (const file of removed) rmSync(file);
  return { written, removed, unchanged };
}

/** What deploy records once a release serves all traffic: the contract both clouds then serve. */
export interface ReleasedContract {
  /** `/mcp`'s fingerprint (what `/health` shows as `contract.fingerprint`). */
  readonly fingerprint: string;
  /** The image it was released with. */
  readonly image: string;
  readonly servers: readonly ContractSnapshot[];
}

/** The released record of an environment, or `undefined` before its first release of all traffic. */
export function readReleased(root: string, environment: string): ReleasedContract | undefined {
  const file = join(environmentContractsDirectory(root, environment), RELEASED_FILE);
  if (!existsSync(file)) return undefined;
  const released = JSON.parse(readFileSync(file, 'utf8')) as Partial<ReleasedContract>;
  if (typeof released.fingerprint !== 'string' || !Array.isArray(released.servers)) throw new Error(`${file}: not a released contract (fingerprint, image, servers): deploy writes it; restore it from git`);
  return { fingerprint: released.fingerprint, image: String(released.image), servers: released.servers.map((snapshot, index) => parseSnapshot(JSON.stringify(snapshot), `${file} servers.${index}`)) };
}

/** Records what a release serves to all traffic. */
export function writeReleased(root: string, environment: string, released: ReleasedContract): string {
  const file = join(environmentContractsDirectory(root, environment), RELEASED_FILE);
  mkdirSync(environmentContractsDirectory(root, environment), { recursive: true });
  writeFileSync(file, stableJson(released));
  return file;
}

/** Snapshots by server name. */
export function byServer(snapshots: Iterable<ContractSnapshot>): Map<string, ContractSnapshot> {
  return new Map([...snapshots].map((snapshot) => [snapshot.server, snapshot]));
}

/**
 * An environment's committed snapshots in configured order (the built-in tools as `builtin` when it
 * has no servers); throws naming each configured server without one, and the command that writes it.
 */
export function environmentSnapshots(env: Pick<EnvironmentConfig, 'name' | 'servers'>, root: string): ContractSnapshot[] {
  const names = env.servers?.map(({ name }) => name) ?? [IMPLICIT_BUILTIN_SERVER];
  const committed = readSnapshots(root, env.name);
  const missing = names.filter((name) => !committed.has(name));
  if (missing.length > 0) {
    throw new Error(`${missing.map((name) => `${CONTRACTS_DIRECTORY}/${env.name}/${name}.json`).join(', ')}: no contract snapshot: run npm run contract -- ${env.name} and commit it`);
  }
  return names.map((name) => committed.get(name)!);
}

/** What `/mcp` of a bridge serving these snapshots shows as its contract (`/health`'s `contract.fingerprint`). */
export function servedFingerprint(snapshots: readonly ContractSnapshot[]): string {
  return combinedFingerprint(Object.fromEntries(snapshots.map((snapshot) => [snapshot.server, snapshot.fingerprint])));
}
