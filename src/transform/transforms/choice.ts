import { canonicalBytes } from '../canonical-bytes.js';
import type { FieldTransform } from '../field-transform.js';
import { requireScalar } from './scalar-input.js';

/**
 * `choice`: one of `values`, picked by the keyed hash of the input (equal inputs get equal picks;
 * the distribution is uniform). Accepts any scalar; the output is the listed value as written.
 */
export function choiceTransform(options: { values: readonly (string | number | boolean)[] }): FieldTransform {
  const { values } = options;
  return {
    wholeValue: false,
    retryable: values.length > 1,
    apply(value, { digest, attempt }) {
      requireScalar(value);
      return values[digest(canonicalBytes(value), attempt).readUInt32BE(0) % values.length];
    },
  };
}
