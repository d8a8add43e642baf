import { Binary, Double, Int32, Long, ObjectId } from 'bson';
import { canonicalBytes } from '../canonical-bytes.js';
import { isBinary, isDouble, isInt32, isLong, isObjectId } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { csharpLegacyToRfc, rfcToCsharpLegacy, setUuidV4Bits } from '../uuid-bytes.js';
import { expandSeed } from '../seed-bytes.js';
import { shapedString } from './shaped-string.js';

/** Bits of keyed output above which a collision is negligible (see FieldTransform.collisionFree). */
const WIDE_BITS = 96;

/**
 * `pseudonymous_id`: a keyed id of the same BSON type and shape, so references keep joining when the
 * referencing fields share the `group` of the id.
 *
 * - ObjectId → ObjectId (12 hash bytes; with `keep_timestamp`, the original 4-byte time + 8 hash bytes).
 * - binData subtype 4 (UUID) → a random-looking version-4 UUID.
 * - binData subtype 3 (legacy UUID in the C# driver's byte order: the `CSUUID` of .NET apps) →
 *   subtype 3 whose bytes, read back with the C# legacy order, are a version-4 UUID. The input is
 *   read in the same order, so equal Guids give equal pseudonyms.
 * - binData subtype 0 → the same number of hash bytes.
 * - strings keep their shape: a UUID stays a UUID, and otherwise everything up to the last `|` is kept
 *   (`auth0|`, `google-oauth2|`) and each remaining character is replaced within its class (digit →
 *   digit, hex → hex when the rest is hex, lower → lower, upper → upper, other characters kept).
 * - int / long / integral double → the same type with the same number of digits and sign.
 * Refuses other types.
 */
export function pseudonymousIdTransform(options: { keepTimestamp: boolean }): FieldTransform {
  const { keepTimestamp } = options;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (isObjectId(value)) {
        const seed = digest(canonicalBytes(value), attempt);
        const bytes = Buffer.from(seed.subarray(0, 12));
        if (keepTimestamp) Buffer.from(value.id).copy(bytes, 0, 0, 4);
        return new ObjectId(bytes);
      }
      if (isBinary(value)) return pseudonymousBinary(value, digest(canonicalBinaryInput(value), attempt));
      if (typeof value === 'string')
        return shapedString(value, (n) => expandSeed(digest(canonicalBytes(value), attempt), n)).text;
      if (isInt32(value))
        return new Int32(sameDigitsInt32(value.value, digest(canonicalBytes(value), attempt)));
      if (isLong(value))
        return Long.fromBigInt(
          sameDigits(value.toBigInt(), digest(canonicalBytes(value), attempt), 2n ** 63n - 1n),
        );
      if (
        (isDouble(value) || typeof value === 'number') &&
        Number.isSafeInteger(isDouble(value) ? value.value : value)
      ) {
        const v = BigInt(isDouble(value) ? value.value : (value as number));
        const out = Number(
          sameDigits(v, digest(canonicalBytes(value), attempt), BigInt(Number.MAX_SAFE_INTEGER)),
        );
        return isDouble(value) ? new Double(out) : out;
      }
      throw new TypeMismatch('an ObjectId, a UUID / CSUUID / generic binData, an id string or an integer');
    },
    collisionFree(output) {
      if (isObjectId(output)) return !keepTimestamp;
      if (isBinary(output))
        return output.sub_type === 3 || output.sub_type === 4 || output.position * 8 >= WIDE_BITS;
      if (typeof output === 'string') return shapedString(output, (n) => Buffer.alloc(n)).bits >= WIDE_BITS;
      return false;
    },
  };
}

function canonicalBinaryInput(value: Binary): Buffer {
  if (value.sub_type === 3 && value.position === 16) {
    // hash the Guid as the C# app sees it, so a subtype-4 copy of the same Guid would join
    return canonicalBytes(new Binary(csharpLegacyToRfc(Buffer.from(value.buffer.subarray(0, 16))), 4));
  }
  return canonicalBytes(value);
}

function pseudonymousBinary(value: Binary, seed: Buffer): Binary {
  const length = value.position;
  if ((value.sub_type === 3 || value.sub_type === 4) && length === 16) {
    const rfc = setUuidV4Bits(Buffer.from(seed.subarray(0, 16)));
    return new Binary(value.sub_type === 3 ? rfcToCsharpLegacy(rfc) : rfc, value.sub_type);
  }
  if (value.sub_type === 0) return new Binary(Buffer.from(expandSeed(seed, length)), 0);
  throw new TypeMismatch('binData of subtype 0, 3 (16 bytes) or 4 (16 bytes)');
}

/** A number with as many decimal digits (and the same sign) as `v`, ≤ `max`, from the seed. */
function sameDigits(v: bigint, seed: Buffer, max: bigint): bigint {
  const negative = v < 0n;
  const digits = (negative ? -v : v).toString().length;
  const low = digits === 1 ? 0n : 10n ** BigInt(digits - 1);
  let high = 10n ** BigInt(digits) - 1n;
  if (high > max) high = max;
  const span = high - low + 1n;
  const out = low + (seed.readBigUInt64BE(0) % span);
  return negative ? -out : out;
}

const INT32_MAX = 2 ** 31 - 1;

/**
 * {@link sameDigits} for an int32 with `max` 2³¹ − 1, in exact double arithmetic (no BigInt): the
 * span is < 2³¹, so the 64-bit seed is reduced 16 bits at a time with every intermediate < 2⁴⁷.
 */
function sameDigitsInt32(v: number, seed: Buffer): number {
  const negative = v < 0;
  const digits = String(negative ? -v : v).length;
  const low = digits === 1 ? 0 : 10 ** (digits - 1);
  const high = Math.min(10 ** digits - 1, INT32_MAX);
  const span = high - low + 1;
  let r = 0;
  for (let i = 0; i < 8; i += 2) r = (r * 65536 + seed.readUInt16BE(i)) % span;
  const out = low + r;
  return negative ? -out : out;
}
