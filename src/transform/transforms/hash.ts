import { canonicalBytes } from '../canonical-bytes.js';
import type { FieldTransform } from '../field-transform.js';
import { hexFromSeed } from '../seed-bytes.js';
import { requireScalar } from './scalar-input.js';

/**
 * `hash`: the keyed hash of any scalar as `length` lowercase hex characters (default 16, the length of
 * the common `sha256(value)[:16]` pseudonym). The output is a string whatever the input type.
 * Accepts: string, numbers, ObjectId, binData, date, bool. Refuses documents and arrays' documents.
 */
export function hashTransform(options: { length: number }): FieldTransform {
  const { length } = options;
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
