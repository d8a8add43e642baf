import { canonicalBytes } from '../canonical-bytes.js';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { expandSeed } from '../seed-bytes.js';

const SHAPE = /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/;
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** ISO 7064 MOD 97-10 of an IBAN-style string (letters → 10..35). */
function mod97(text: string): number {
  let remainder = 0;
  for (const c of text) {
    const value = c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder;
}

/**
 * An IBAN pseudonym of `text` (ISO 13616: country, 2 check digits, 11–30 BBAN characters; spaces
 * anywhere): the country kept, each BBAN digit replaced by a digit and each letter by a letter drawn
 * from `seed`, the check digits recomputed (mod 97 = 1), spaces kept in place. Null when `text`
 * does not have the shape of an IBAN.
 */
export function pseudonymIban(text: string, seed: Buffer): string | null {
  const compact = text.replace(/ /g, '').toUpperCase();
  if (!SHAPE.test(compact)) return null;
  const country = compact.slice(0, 2);
  const bytes = expandSeed(seed, compact.length);
  let bban = '';
  for (let i = 4; i < compact.length; i++) {
    const b = bytes[i] ?? 0;
    bban += /\d/.test(compact[i] ?? '') ? String(b % 10) : LETTERS[b % 26];
  }
  const check = String(98 - mod97(`${bban}${country}00`)).padStart(2, '0');
  const out = `${country}${check}${bban}`;
  let j = 0;
  return text.replace(/[^ ]/g, () => out[j++] ?? '');
}

/**
 * `iban`: an IBAN with a valid mod-97 checksum, keyed by the original, keeping the country code, the
 * length, which positions are letters or digits, and the spacing. Accepts strings shaped like an
 * IBAN (the input's own checksum is not required to be valid).
 */
export function ibanTransform(): FieldTransform {
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (typeof value !== 'string') throw new TypeMismatch('an IBAN string');
      const out = pseudonymIban(value, digest(canonicalBytes(value), attempt));
      if (out === null) throw new TypeMismatch('an IBAN (country, check digits, 11–30 characters)');
      return out;
    },
  };
}
