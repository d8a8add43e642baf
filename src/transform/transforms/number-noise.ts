import { Double, Int32, Long } from 'bson';
import { canonicalBytes } from '../canonical-bytes.js';
import { isDouble, isInt32, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { unitFromSeed } from '../seed-bytes.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/**
 * `number_noise`: multiply by a factor in [1 − percent/100, 1 + percent/100] chosen by the keyed hash
 * of the value, keeping the BSON type: `int` and `long` are rounded to integers (`int` clamped to its
 * range), a `double` is rounded to as many decimals as the input had (up to 6), so `12.5` stays a
 * one-decimal amount. Zero stays zero. `min` / `max` clamp the output (an age range stays an age
 * range; integers clamp to whole bounds). Accepts int, long, double; refuses decimal128 and strings.
 */
export function numberNoiseTransform(options: {
  percent: number;
  min?: number;
  max?: number;
}): FieldTransform {
  const noisy = noise(options.percent);
  const { min, max } = options;
  if (min === undefined && max === undefined) return noisy;
  const lo = min ?? Number.NEGATIVE_INFINITY;
  const hi = max ?? Number.POSITIVE_INFINITY;
  const clamp = (v: number) => Math.min(hi, Math.max(lo, v));
  return {
    ...noisy,
    apply(value, context) {
      const out = noisy.apply(value, context);
      if (isInt32(out)) return new Int32(Math.trunc(clamp(out.value)));
      if (isDouble(out)) return new Double(clamp(out.value));
      if (typeof out === 'number') return clamp(out);
      if (isLong(out)) {
        const v = out.toBigInt();
        if (min !== undefined && v < BigInt(Math.ceil(min))) return Long.fromNumber(Math.ceil(min));
        if (max !== undefined && v > BigInt(Math.floor(max))) return Long.fromNumber(Math.floor(max));
      }
      return out;
    },
  };
}

function noise(percent: number): FieldTransform {
  const fraction = percent / 100;
  const factor = (seed: Buffer): number => 1 + (unitFromSeed(seed) * 2 - 1) * fraction;
  return {
    wholeValue: false,
    retryable: false,
    apply(value, { digest }) {
      if (isInt32(value)) {
        const out = Math.round(value.value * factor(digest(canonicalBytes(value))));
        return new Int32(Math.min(INT32_MAX, Math.max(INT32_MIN, out)));
      }
      if (isLong(value)) {
        const ppm = BigInt(Math.round((factor(digest(canonicalBytes(value))) - 1) * 1e6));
        const v = value.toBigInt();
        return Long.fromBigInt(v + (v * ppm) / 1_000_000n);
      }
      if (isDouble(value) || typeof value === 'number') {
        const v = typeof value === 'number' ? value : value.value;
        if (!Number.isFinite(v)) return value;
        const out = roundLike(v * factor(digest(canonicalBytes(value))), v);
        return typeof value === 'number' ? out : new Double(out);
      }
      throw new TypeMismatch('a number (int, long or double)');
    },
  };
}

function roundLike(out: number, input: number): number {
  const text = String(input);
  const dot = text.indexOf('.');
  const decimals = dot < 0 || text.includes('e') ? 0 : Math.min(6, text.length - dot - 1);
  const scale = 10 ** decimals;
  return decimals === 0 && Number.isInteger(input) ? Math.round(out) : Math.round(out * scale) / scale;
}
