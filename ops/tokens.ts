import { createHash, randomBytes } from 'node:crypto';
import { splitTokenEntry } from '../app/auth/settings.js';
import { awsSecretName, formerAwsSecretNames, googleSecretId, TOKEN_DIGESTS_SECRET } from '../stacks/bridge-environment.js';
import { resourceName } from '../stacks/naming.js';
import type { AccessRules } from '../app/auth/access-rules.js';
import type { Aws } from './clouds/aws.js';
import type { Gcloud } from './clouds/gcloud.js';

/** A new bearer token (32 random bytes, base64url) and the SHA-256 hex digest the bridge stores of it. */
export function newToken(): { readonly token: string; readonly digest: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, digest: createHash('sha256').update(token).digest('hex') };
}

/**
 * The entries a secret value holds, in the bridge's `MCP_TOKEN_SHA256` format: comma-separated
 * `<name>:<SHA-256 hex>` (a bare digest is a token named `default`), newest first.
 */
export function parseDigests(value: string): string[] {
  return value.split(',').map((digest) => digest.trim()).filter((digest) => digest !== '');
}

/** The name of the token an entry is the digest of. */
export function tokenName(entry: string): string {
  return splitTokenEntry(entry).name;
}

/** What the token secrets hold now. */
export interface HeldDigests {
  /** Secret Manager's latest version: its digests, and when it was written. */
  readonly google?: { readonly digests: string[]; readonly written: Date };
  /** Secrets Manager's current value under the secret's name. */
  readonly aws?: { readonly digests: string[] };
  /** When Secrets Manager holds none under that name: the newest former name that still holds digests. */
  readonly former?: { readonly secret: string; readonly digests: string[] };
}

/**
 * The token digests of an environment, kept the same in Secret Manager (Cloud Run reads it) and
 * Secrets Manager (Lambda reads it): both clouds must accept the same tokens, or a failover would
 * lock clients out. A secret under a former name ({@link TOKEN_DIGESTS_SECRET}) that still exists
 * gets every write too, so the Lambdas that read it until the next deploy accept the same tokens.
 */
export class TokenDigests {
  /** The secret's id in Secret Manager. */
  readonly googleSecret: string;
  /** The secret's name in Secrets Manager. */
  readonly awsSecret: string;
  /** Its names in earlier releases, newest first. */
  readonly formerAwsSecrets: readonly string[];

  constructor(
    private readonly gcloud: Gcloud,
    private readonly aws: Aws,
    environment: string,
  ) {
    const service = resourceName(environment as never);
    this.googleSecret = googleSecretId(service, TOKEN_DIGESTS_SECRET);
    this.awsSecret = awsSecretName(service, TOKEN_DIGESTS_SECRET);
    this.formerAwsSecrets = formerAwsSecretNames(service, TOKEN_DIGESTS_SECRET);
  }

  /** What each cloud holds now (see {@link HeldDigests}). */
  async read(): Promise<HeldDigests> {
    const [versions, awsValue] = await Promise.all([this.gcloud.secretVersions(this.googleSecret), this.aws.secretValue(this.awsSecret)]);
    const google = versions.length === 0 ? undefined : { digests: parseDigests(await this.gcloud.secretValue(this.googleSecret)), written: new Date(versions[0]!.createTime) };
    const former = awsValue === undefined ? await this.#formerHolding() : undefined;
    return {
      ...(google === undefined ? {} : { google }),
      ...(awsValue === undefined ? {} : { aws: { digests: parseDigests(awsValue) } }),
      ...(former === undefined ? {} : { former }),
    };
  }

  /** Stores the digests on both clouds (a new secret version on each), and in each former secret that still exists. */
  async write(digests: readonly string[]): Promise<void> {
    const value = digests.join(',');
    await this.gcloud.addSecretVersion(this.googleSecret, value);
    await this.aws.putSecretValue(this.awsSecret, value);
    for (const former of await this.activeFormerSecrets()) await this.aws.putSecretValue(former, value);
  }

  /** The former secrets that exist and are not scheduled for deletion. */
  async activeFormerSecrets(): Promise<string[]> {
    const statuses = await Promise.all(this.formerAwsSecrets.map(async (former) => [former, await this.aws.secretStatus(former)] as const));
    return statuses.filter(([, status]) => status === 'active').map(([former]) => former);
  }

  async #formerHolding(): Promise<HeldDigests['former']> {
    for (const secret of await this.activeFormerSecrets()) {
      const value = await this.aws.secretValue(secret);
      if (value !== undefined) return { secret, digests: parseDigests(value) };
    }
    return undefined;
  }
}

/**
 * Makes every token secret hold the same digests, when one of them holds any: Secret Manager's,
 * else Secrets Manager's, else a former Secrets Manager secret's (an environment deployed before
 * the rename). Returns what it did, or `undefined` when no secret holds a digest.
 */
export async function syncDigests(tokens: TokenDigests): Promise<string | undefined> {
  const held = await tokens.read();
  const source = [
    held.google && { secret: tokens.googleSecret, digests: held.google.digests },
    held.aws && { secret: tokens.awsSecret, digests: held.aws.digests },
    held.former && { secret: held.former.secret, digests: held.former.digests },
  ].find((candidate) => candidate !== undefined);
  if (source === undefined) return undefined;
  await tokens.write(source.digests);
  const written = [tokens.googleSecret, tokens.awsSecret].filter((secret) => secret !== source.secret);
  const from = held.former?.secret === source.secret ? `${source.secret} (its former name)` : source.secret;
  return `copied the ${source.digests.length} digest(s) of ${from} to ${written.join(' and ')}, so both clouds accept the same tokens`;
}

/**
 * The entries after a rotation of one named token (`newEntry`'s name): its new digest first, then
 * that name's previous newest (its token stays valid until the next rotation), then that name's older
 * ones only while the last rotation is younger than the grace period (clients had that long to move
 * to the previous token). Other names' tokens are kept as they are.
 */
export function rotatedDigests(current: readonly string[], lastWritten: Date, newEntry: string, graceHours: number, now: Date): string[] {
  const withinGrace = now.getTime() - lastWritten.getTime() < graceHours * 3_600_000;
  const name = tokenName(newEntry);
  const same = current.filter((entry) => tokenName(entry) === name);
  const others = current.filter((entry) => tokenName(entry) !== name);
  return [newEntry, ...same.slice(0, 1), ...(withinGrace ? same.slice(1) : []), ...others];
}

/** What the environment's access rules grant a named token, in words (`memory (the whole server); tools: process_data`). */
export function grantsOfToken(access: AccessRules | undefined, name: string): string {
  if (access === undefined) return 'every server and tool (the environment has no access rules)';
  const granted = access.grants
    .filter((grant) => 'tokens' in grant && grant.tokens.includes(name))
    .map((grant) => (grant.tools === undefined ? `${grant.server} (the whole server)` : `${grant.server}: ${grant.tools.join(', ')}`));
  const rest = access.default === 'allow' ? 'and whatever no grant names' : '';
  return granted.length === 0 ? (rest === '' ? 'nothing: no grant names it (add one to access.grants)' : 'whatever no grant names') : [granted.join('; '), rest].filter(Boolean).join(', ');
}
