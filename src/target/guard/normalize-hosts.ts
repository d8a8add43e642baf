/**
 * Host normalization for the target guard: turns a MongoDB connection string into a set of canonical
 * host keys, so two spellings of the same server compare equal whatever the case, seed order, default
 * port, credentials, options, trailing dots or loopback alias.
 *
 * Keys:
 * - `host:port` for `mongodb://` seeds: host lowercased, WHATWG-canonicalized (so `0x7f.1`,
 *   `2130706433` and `127.0.0.1` are one address), trailing dot removed, port defaulted to 27017;
 *   every loopback spelling (`localhost`, `127.x.y.z`, `::1`, `::ffff:127.0.0.1`, `0.0.0.0`) becomes
 *   `loopback:port`;
 * - `srv:<name>` for a `mongodb+srv://` URI (the SRV record name, which the pure guard cannot resolve;
 *   the live check resolves it);
 * - `socket:<path>` for a Unix socket seed.
 */
export interface NormalizedHosts {
  readonly scheme: 'mongodb' | 'mongodb+srv';
  /** Sorted, deduplicated host keys (see above). */
  readonly keys: readonly string[];
}

const SCHEME = /^(mongodb(?:\+srv)?):\/\//i;
export const DEFAULT_PORT = 27017;

/**
 * Parse the host list of a connection string into canonical keys.
 * Returns undefined when the string is not a MongoDB URI or a host cannot be parsed: callers must
 * treat that as "cannot tell" and fail closed.
 */
export function normalizeHosts(uri: string): NormalizedHosts | undefined {
  const m = SCHEME.exec(uri.trim());
  if (!m?.[1]) return undefined;
  const scheme = m[1].toLowerCase() === 'mongodb+srv' ? 'mongodb+srv' : 'mongodb';
  let rest = uri.trim().slice(m[0].length);
  // user info ends at the last '@' before the path; a password may contain '/' only percent-encoded
  const pathStart = rest.search(/[/?]/);
  const authority = pathStart < 0 ? rest : rest.slice(0, pathStart);
  const at = authority.lastIndexOf('@');
  rest = at < 0 ? authority : authority.slice(at + 1);
  if (rest === '') return undefined;
  const keys = new Set<string>();
  for (const seed of rest.split(',')) {
    const key = scheme === 'mongodb+srv' ? srvKey(seed) : hostKey(seed);
    if (key === undefined) return undefined;
    keys.add(key);
  }
  return { scheme, keys: [...keys].sort() };
}

function srvKey(seed: string): string | undefined {
  const host = canonicalHostname(seed);
  return host === undefined ? undefined : `srv:${host}`;
}

/** `host[:port]` or `[v6][:port]` or a percent-encoded socket path → a canonical key. */
export function hostKey(seed: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(seed.trim());
  } catch {
    return undefined;
  }
  if (decoded.endsWith('.sock')) return `socket:${decoded}`;
  let host: string;
  let portText = '';
  if (decoded.startsWith('[')) {
    const close = decoded.indexOf(']');
    if (close < 0) return undefined;
    host = decoded.slice(0, close + 1);
    const after = decoded.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) return undefined;
    portText = after.slice(1);
  } else {
    const colon = decoded.lastIndexOf(':');
    host = colon < 0 ? decoded : decoded.slice(0, colon);
    portText = colon < 0 ? '' : decoded.slice(colon + 1);
  }
  const port = portText === '' ? DEFAULT_PORT : Number(portText);
  if (!/^\d*$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  const name = canonicalHostname(host);
  if (name === undefined) return undefined;
  return `${isLoopback(name) ? 'loopback' : name}:${port}`;
}

/** Lowercase, WHATWG-canonical hostname without a trailing dot; undefined if unparsable. */
function canonicalHostname(host: string): string | undefined {
  const trimmed = host.trim();
  if (trimmed === '') return undefined;
  try {
    const url = new URL(`http://${trimmed}/`);
    if (url.username || url.password || url.port || url.pathname !== '/') return undefined;
    return url.hostname.replace(/\.+$/, '');
  } catch {
    return undefined;
  }
}

/** Every spelling of this machine's own address. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '');
  return (
    h === 'localhost' ||
    h.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(h) ||
    h === '0.0.0.0' ||
    h === '::1' ||
    h === '::' ||
    /^::ffff:(127\.\d+\.\d+\.\d+|7f[0-9a-f]{2}:[0-9a-f]{1,4})$/.test(h)
  );
}
