import type { FieldTransform } from '../field-transform.js';
import { TypeMismatch } from '../field-transform.js';
import { hexFromSeed } from '../seed-bytes.js';

const DOMAIN_HASH_LENGTH = 4;
const HOST_CACHE_ENTRIES = 1024;

/**
 * `hash_email`: `<hash(local)[:length]>.<hash(domain)[:4]>@<domain option>`, the format of the
 * plain-SHA-256 email pseudonyms that unkeyed mode stays compatible with (there with length 8). The address is trimmed and lowercased first (addresses are compared
 * case-insensitively in practice), so `Ann@X.org` and `ann@x.org` get one pseudonym; addresses of
 * one original domain share the 4-character domain hash, which keeps "same organization" visible.
 * Accepts: a string with exactly one `@` and text on both sides (fail-closed: anything else is a
 * type mismatch, never passed through unchanged).
 */
export function hashEmailTransform(options: { domain: string; length: number }): FieldTransform {
  const { domain, length } = options;
  // the domain hash of the last distinct hosts (few hosts dominate real data: gmail.com, the company's)
  const hosts = new Map<string, string>();
  let hostsDigest: unknown = null;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (typeof value !== 'string') throw new TypeMismatch('an email address string');
      const address = value.trim().toLowerCase();
      const at = address.indexOf('@');
      if (at <= 0 || at === address.length - 1 || address.indexOf('@', at + 1) >= 0) {
        throw new TypeMismatch('an email address (one @ with text on both sides)');
      }
      const local = hexFromSeed(digest(Buffer.from(address.slice(0, at), 'utf8'), attempt), length);
      const hostName = address.slice(at + 1);
      let host = hosts.get(hostName);
      if (host === undefined || hostsDigest !== digest) {
        if (hostsDigest !== digest || hosts.size >= HOST_CACHE_ENTRIES) {
          hosts.clear();
          hostsDigest = digest;
        }
        host = hexFromSeed(digest(Buffer.from(hostName, 'utf8')), DOMAIN_HASH_LENGTH);
        hosts.set(hostName, host);
      }
      return `${local}.${host}@${domain}`;
    },
    collisionFree: () => length >= 24,
  };
}
