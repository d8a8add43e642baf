import { canonicalBytes } from '../canonical-bytes.js';
import type { FieldTransform } from '../field-transform.js';
import { requireScalar } from './scalar-input.js';

export interface SequentialOptions {
  readonly prefix: string;
  readonly deterministic: boolean;
  readonly digits: number;
  readonly start: number;
}

/**
 * `sequential` (`User1`, `User2`, …) and `sequential_suffix` (`1`, `2`, … as text): readable
 * placeholder names and numbers. `prefix` defaults to `User` and `` respectively.
 *
 * - Counter mode (default): every value gets the next number of this rule's (or
 *   group's) counter, starting at `start`. ORDER-DEPENDENT: the number depends on the document's
 *   position in the stream, so the same input dump gives the same output, but another dump order
 *   renumbers, and two equal inputs get different numbers (no joins). Never collides.
 * - `deterministic: true`: the number is the keyed hash mod 10^digits, zero-padded to `digits`:
 *   order-independent and join-preserving, collisions resolved by the uniqueness memory.
 * Accepts any scalar.
 */
export function sequentialTransform(options: SequentialOptions): FieldTransform {
  const { prefix, deterministic, digits, start } = options;
  let next = start;
  const modulus = 10n ** BigInt(digits);
  return {
    wholeValue: false,
    retryable: deterministic,
    apply(value, { digest, attempt }) {
      requireScalar(value);
      if (!deterministic) return `${prefix}${next++}`;
      const seed = digest(canonicalBytes(value), attempt);
      const n = seed.readBigUInt64BE(0) % modulus;
      return `${prefix}${n.toString().padStart(digits, '0')}`;
    },
    collisionFree: () => !deterministic,
  };
}
