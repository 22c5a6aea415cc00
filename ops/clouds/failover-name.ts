// What the failover name answers, seen from here: its A records (from the system's resolver, or
// straight from one of the zone's name servers) and which platform answers `/health`. Shared by
// `npm run drill` (which watches) and `npm run gameday` (which induces and measures).
import { lookup, promises as dns } from 'node:dns';
import { get as httpGet, type IncomingMessage } from 'node:http';
import { get as httpsGet } from 'node:https';
import type { LookupFunction } from 'node:net';

/**
 * The A records of a name, sorted: from the given name server (a host name, asked directly, so no
 * cache stands between), or from the system's recursive resolver when none is given.
 */
export type ResolveAddresses = (name: string, nameServer?: string) => Promise<string[]>;

/** What `GET /health` answered. */
export interface HealthAnswer {
  /**
   * The platform that answered (`cloud-run`, `lambda`, `local`; `unknown` when the body does not
   * say), or what went wrong instead: `http 503`, `unreachable`.
   */
  readonly platform: string;
  /**
   * The region that answered, or why it was unreachable.
   * @default - nothing more to say
   */
  readonly detail?: string;
  /**
   * The fingerprint of the contract the answering revision serves at `/mcp` (its `/health`'s `contract.fingerprint`).
   * @default - the answer did not say
   */
  readonly contract?: string;
}

/** `GET <url>` of a bridge's `/health`, connecting to `address` when given (see {@link healthOf}). */
export type HealthProbe = (url: URL, address?: string) => Promise<HealthAnswer>;

/** Options of {@link healthOf}. */
export interface HealthOptions {
  /**
   * Connect to this address (an IP address or a host name) instead of what the URL's host resolves
   * to; the TLS server name and the Host header stay the URL's host, as Route 53's health checker
   * sends them to the primary's IP.
   * @default - the URL's host, resolved by the system
   */
  readonly address?: string;
  /**
   * How long the request may take, in milliseconds.
   * @default 5000
   */
  readonly timeoutMs?: number;
}

/**
 * The A records of a name from the system: its resolver (`resolve4`), or, for names only the
 * hosts file knows (`localhost`), `getaddrinfo`. Sorted; rejects with the resolver's error.
 */
export async function resolveWithSystem(name: string): Promise<string[]> {
  return dns
    .resolve4(name)
    .catch(() => dns.lookup(name, { all: true, family: 4 }).then((all) => all.map((entry) => entry.address)))
    .then((addresses) => [...addresses].sort());
}

/**
 * A {@link ResolveAddresses} over the network: a name server's own addresses are looked up once
 * (through the system), then each question goes to that server alone.
 */
export function networkResolver(): ResolveAddresses {
  const resolvers = new Map<string, Promise<InstanceType<typeof dns.Resolver>>>();
  const resolverFor = (nameServer: string) => {
    let resolver = resolvers.get(nameServer);
    if (resolver === undefined) {
      resolver = dns.resolve4(nameServer).then((addresses) => {
        const direct = new dns.Resolver({ timeout: 3_000, tries: 2 });
        direct.setServers(addresses);
        return direct;
      });
      // A failed look-up is not kept: the next question tries again.
      resolver.catch(() => resolvers.delete(nameServer));
      resolvers.set(nameServer, resolver);
    }
    return resolver;
  };
  return async (name, nameServer) => {
    if (nameServer === undefined) return resolveWithSystem(name);
    return [...(await (await resolverFor(nameServer)).resolve4(name))].sort();
  };
}

/**
 * `GET <url>` of a bridge's `/health` on a connection of its own (no keep-alive: each probe follows
 * what DNS answers now, not where an earlier connection went). Never rejects: an error is an
 * answer (`unreachable`, `http <status>`).
 */
export function healthOf(url: URL, options: HealthOptions = {}): Promise<HealthAnswer> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { address } = options;
  const get = url.protocol === 'https:' ? httpsGet : httpGet;
  return new Promise((resolve) => {
    const answered = (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', (error) => resolve({ platform: 'unreachable', detail: error.message }));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        if (status < 200 || status > 299) return resolve({ platform: `http ${status}` });
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { platform?: unknown; region?: unknown; contract?: { fingerprint?: unknown } };
          const contract = body.contract?.fingerprint;
          resolve({
            platform: typeof body.platform === 'string' ? body.platform : 'unknown',
            ...(typeof body.region === 'string' ? { detail: body.region } : {}),
            ...(typeof contract === 'string' ? { contract } : {}),
          });
        } catch {
          resolve({ platform: 'unknown', detail: 'the body is not JSON' });
        }
      });
    };
    const request = get(
      url,
      {
        agent: false,
        headers: { accept: 'application/json', 'cache-control': 'no-cache' },
        timeout: timeoutMs,
        ...(address === undefined
          ? {}
          : {
              // Only where to connect changes: Node keeps the URL's host for SNI and Host.
              lookup: ((_host, lookupOptions, callback) => lookup(address, lookupOptions, callback)) satisfies LookupFunction,
            }),
      },
      answered,
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error) => resolve({ platform: 'unreachable', detail: error.message }));
  });
}
