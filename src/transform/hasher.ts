import { createHash, createHmac, type Hash } from 'node:crypto';

/** The 32-byte digest function of one rule (or group) domain. */
export type DomainDigest = (input: Uint8Array, attempt?: number) => Buffer;

/**
 * Where every pseudonym comes from. Keyed: HMAC-SHA-256 (RFC 2104) with the anonymization key over
 * `"dbfork/v1" 0x00 <domain> 0x00 <input>` (+ `0x00 <attempt>` when attempt > 0), so outputs of
 * different rules are unrelated unless they share a group (same domain). Unkeyed (only with
 * `--insecure-unkeyed`): plain SHA-256 of `<input>` (+ the attempt suffix), which is what plain-hash
 * anonymizers compute, and which a dictionary attack can reverse.
 */
export interface Hasher {
  readonly keyed: boolean;
  /**
   * A keyed fingerprint of the key, `hmac-sha256:<32 hex>`: the HMAC of a fixed label, so two runs
   * can tell whether they used the same key without revealing it. Null when unkeyed.
   */
  readonly fingerprint: string | null;
  /** The digest function of one domain (`group:<name>` or `rule:<collection>:<path>`). */
  forDomain(domain: string): DomainDigest;
}

const VERSION_TAG = 'dbfork/v1';

/**
 * A keyed hasher: one `createHmac('sha256', key)` per value over the domain prefix and the input.
 * Inputs are short (20–100 bytes), so the cost is per call; one HMAC object per value is about twice
 * as fast as copying prepared inner/outer `Hash` states (two native objects per value), and as fast as
 * a reused WebAssembly SHA-256 (bench/hmac-options.ts, docs/performance.md).
 *
 * @param key the secret key bytes (use at least `MIN_KEY_BYTES`, 16; `loadAnonymizationKey`
 *   enforces it)
 * @returns a {@link Hasher}: per-domain HMAC-SHA-256 digests (32 bytes) and the key's `fingerprint`;
 *   never throws
 */
export function keyedHasher(key: Uint8Array): Hasher {
  const secret = Buffer.from(key);
  const forDomain = (domain: string): DomainDigest => {
    const prefix = Buffer.from(`${VERSION_TAG}\0${domain}\0`, 'utf8');
    return (input, attempt = 0) => {
      const h = createHmac('sha256', secret).update(prefix).update(input);
      if (attempt > 0) h.update(attemptSuffix(attempt));
      return h.digest();
    };
  };
  // rule and group domains start with "rule:" or "group:", so this label never collides with them
  const fingerprint = `hmac-sha256:${forDomain(FINGERPRINT_LABEL)(new Uint8Array(0)).toString('hex').slice(0, 32)}`;
  return { keyed: true, fingerprint, forDomain };
}

const FINGERPRINT_LABEL = 'key-fingerprint';

/** The unkeyed hasher: SHA-256 of the input, no key, no domain separation (plain-hash compatible). */
export function unkeyedHasher(): Hasher {
  return {
    keyed: false,
    fingerprint: null,
    forDomain() {
      return (input, attempt = 0) => {
        const h: Hash = createHash('sha256').update(input);
        if (attempt > 0) h.update(attemptSuffix(attempt));
        return h.digest();
      };
    },
  };
}

function attemptSuffix(attempt: number): Buffer {
  return Buffer.from(`\0${attempt}`, 'utf8');
}
