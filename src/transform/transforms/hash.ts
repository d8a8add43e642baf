import { canonicalBytes } from '../canonical-bytes.js';
import type { FieldTransform } from '../field-transform.js';
import { expandSeed, hexFromSeed } from '../seed-bytes.js';
import { requireScalar } from './scalar-input.js';

/**
 * `hash`: the keyed hash of any scalar as `length` lowercase hex characters (default 16, the length of
 * the common `sha256(value)[:16]` pseudonym). The output is a string whatever the input type.
 * With `alphabet`, `length` characters of that alphabet instead (`0123456789`: digits).
 * Accepts: string, numbers, ObjectId, binData, date, bool. Refuses documents and arrays' documents.
 */
export function hashTransform(options: { length: number; alphabet?: string }): FieldTransform {
  const { length, alphabet } = options;
  if (alphabet !== undefined) return alphabetHash(length, alphabet);
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      requireScalar(value);
      return hexFromSeed(digest(canonicalBytes(value), attempt), length);
    },
    collisionFree: () => length >= 24,
  };
}

/**
 * `hash` with `alphabet`: `length` characters of the alphabet, each from 4 keyed bytes modulo the
 * alphabet size (bias below 2⁻²⁵ for alphabets up to 64 characters).
 */
function alphabetHash(length: number, alphabet: string): FieldTransform {
  const chars = [...alphabet];
  const bits = length * Math.log2(chars.length);
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      requireScalar(value);
      const bytes = expandSeed(digest(canonicalBytes(value), attempt), 4 * length);
      let out = '';
      for (let i = 0; i < length; i++) out += chars[bytes.readUInt32BE(4 * i) % chars.length];
      return out;
    },
    collisionFree: () => bits >= 96,
  };
}
