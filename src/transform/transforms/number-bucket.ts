import { Double, Int32, Long } from 'bson';
import { isDouble, isInt32, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';

/**
 * `number_bucket`: round down to a multiple of `size` (`size: 10`: 37 → 30, −3 → −10), keeping the
 * BSON type (a long with a whole `size` is computed exactly). Not keyed: the output reveals the
 * bucket only. Accepts int, long, double; non-finite doubles are kept.
 */
export function numberBucketTransform(options: { size: number }): FieldTransform {
  const { size } = options;
  const bucket = (v: number) => Math.floor(v / size) * size;
  return {
    wholeValue: false,
    retryable: false,
    apply(value) {
      if (isInt32(value)) return new Int32(bucket(value.value));
      if (isLong(value)) {
        if (!Number.isInteger(size)) return Long.fromNumber(bucket(value.toNumber()));
        const v = value.toBigInt();
        const s = BigInt(size);
        const q = v >= 0n ? v / s : -((-v + s - 1n) / s);
        return Long.fromString(String(q * s));
      }
      if (isDouble(value)) return Number.isFinite(value.value) ? new Double(bucket(value.value)) : value;
      if (typeof value === 'number') return Number.isFinite(value) ? bucket(value) : value;
      throw new TypeMismatch('a number (int, long or double)');
    },
  };
}
