import { lookup, resolveSrv } from 'node:dns/promises';
import { DEFAULT_PORT, hostKey, isLoopback, normalizeHosts } from './normalize-hosts.js';

/** The DNS seam of the live check (tests inject a fixed table). */
export interface HostResolver {
  /** SRV records of `_mongodb._tcp.<name>`. */
  srv(name: string): Promise<readonly { readonly name: string; readonly port: number }[]>;
  /** Every address of a hostname. */
  addresses(host: string): Promise<readonly string[]>;
}

export const systemResolver: HostResolver = {
  srv: async (name) =>
    (await resolveSrv(`_mongodb._tcp.${name}`)).map((r) => ({ name: r.name, port: r.port })),
  addresses: async (host) => (await lookup(host, { all: true })).map((a) => a.address),
};

/**
 * Resolve a connection string's seeds (SRV records first, for `mongodb+srv`) to `address:port` keys,
 * loopback addresses as `loopback:port`. Unix sockets stay `socket:<path>`.
 *
 * @throws Error when the URI cannot be parsed or a name does not resolve (callers fail closed)
 */
export async function resolveUriHostKeys(
  uri: string,
  resolver: HostResolver = systemResolver,
): Promise<string[]> {
  const parsed = normalizeHosts(uri);
  if (!parsed) throw new Error('unparsable connection string');
  const seeds: string[] = [];
  for (const key of parsed.keys) {
    if (key.startsWith('srv:')) {
      for (const r of await resolver.srv(key.slice(4))) seeds.push(`${r.name}:${r.port}`);
    } else seeds.push(key);
  }
  return resolveHostKeys(seeds, resolver);
}

/** Resolve `host:port` seeds (or canonical keys) to address keys. */
export async function resolveHostKeys(
  seeds: readonly string[],
  resolver: HostResolver = systemResolver,
): Promise<string[]> {
  const out = new Set<string>();
  for (const seed of seeds) {
    const key = seed.startsWith('loopback:') || seed.startsWith('socket:') ? seed : hostKey(seed);
    if (key === undefined) throw new Error(`unparsable host ${seed}`);
    if (key.startsWith('loopback:') || key.startsWith('socket:')) {
      out.add(key);
      continue;
    }
    const colon = key.lastIndexOf(':');
    const host = key.slice(0, colon).replace(/^\[|\]$/g, '');
    const port = Number(key.slice(colon + 1)) || DEFAULT_PORT;
    for (const address of await resolver.addresses(host)) {
      out.add(isLoopback(address) ? `loopback:${port}` : `${address.toLowerCase()}:${port}`);
    }
  }
  return [...out].sort();
}
