import { Double, Long } from 'bson';
import { canonicalBytes } from '../canonical-bytes.js';
import { isDouble, isLong } from '../bson-value.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { expandSeed } from '../seed-bytes.js';

/**
 * The Luhn check digit (ISO/IEC 7812-1 Annex B) that makes `body` followed by it a valid number.
 * @param body the digits before the check digit
 */
function luhnCheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    let d = body.charCodeAt(body.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A card number pseudonym of `text` (12–19 digits, spaces or dashes anywhere): the first
 * `keepPrefix` digits (the issuer prefix; at most length − 2) kept, the others but the last drawn
 * from `seed`, the last the Luhn check digit; separators stay where they were.
 * Returns null when `text` is not 12–19 digits with separators.
 */
export function pseudonymCard(text: string, seed: Buffer, keepPrefix: number): string | null {
  const digits = text.replace(/[ -]/g, '');
  if (!/^\d{12,19}$/.test(digits)) return null;
  const keep = Math.min(keepPrefix, digits.length - 2);
  const bytes = expandSeed(seed, digits.length);
  let body = digits.slice(0, keep);
  for (let i = keep; i < digits.length - 1; i++) body += String((bytes[i] ?? 0) % 10);
  const out = body + String(luhnCheckDigit(body));
  let j = 0;
  return text.replace(/\d/g, () => out[j++] ?? '0');
}

/**
 * `card_number`: a Luhn-valid card number keeping the issuer prefix (`keep_prefix` digits, default
 * 6: the IIN/BIN), the length and the separators, keyed by the original number. Accepts strings of
 * 12–19 digits (spaces or dashes allowed), longs, and doubles holding such a number (when the output
 * stays below 2^53), returned as the same type.
 */
export function cardNumberTransform(options: { keepPrefix: number }): FieldTransform {
  const { keepPrefix } = options;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (typeof value === 'string') {
        const out = pseudonymCard(value, digest(canonicalBytes(value), attempt), keepPrefix);
        if (out === null) throw new TypeMismatch('a card number (12–19 digits)');
        return out;
      }
      if (isLong(value) || isDouble(value) || typeof value === 'number') {
        const text = isLong(value)
          ? value.toString()
          : String(typeof value === 'number' ? value : value.value);
        const out = pseudonymCard(text, digest(canonicalBytes(value), attempt), keepPrefix);
        if (out === null) throw new TypeMismatch('a card number (12–19 digits)');
        if (isLong(value)) return Long.fromString(out);
        const n = Number(out);
        if (!Number.isSafeInteger(n))
          throw new TypeMismatch('a card number as a string or long (above 2^53)');
        return typeof value === 'number' ? n : new Double(n);
      }
      throw new TypeMismatch('a card number string or integer');
    },
  };
}
