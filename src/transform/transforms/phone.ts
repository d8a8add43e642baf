import {
  getExampleNumber,
  parsePhoneNumberFromString,
  type CountryCode,
  type PhoneNumber,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { expandSeed } from '../seed-bytes.js';

/** Keyed candidates tried before falling back to the region's example number. */
const CANDIDATES = 32;

/**
 * A phone number pseudonym valid for the same region as `text` (libphonenumber-js with its full
 * metadata): the calling code and the first digits of the national number (up to 3, the area or
 * mobile prefix) kept, the rest drawn from `seed` until the number is valid for the same region
 * (then with all but the last 4 digits kept, for regions sharing a calling code); when none is,
 * the region's example mobile number with keyed last digits, or that example itself. The output is
 * formatted like the input: `+…` with separators → international format, without → E.164; a
 * national number with separators → national format, without → bare digits. Null when
 * libphonenumber-js cannot parse `text` as a number of a known region.
 */
export function pseudonymPhone(text: string, seed: Buffer, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(text, defaultCountry as CountryCode);
  const country = parsed?.country;
  if (!parsed || !country) return null;
  const national = String(parsed.nationalNumber);
  const keep = Math.min(3, Math.max(0, national.length - 4));
  const bytes = expandSeed(seed, CANDIDATES * national.length);
  const candidate = (base: string, k: number, from: number) => {
    let out = base.slice(0, from);
    for (let i = from; i < base.length; i++) out += String((bytes[k * base.length + i] ?? 0) % 10);
    return out;
  };
  const valid = (digits: string) => {
    const p = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${digits}`);
    return p?.isValid() && p.country === country ? p : undefined;
  };
  let out: PhoneNumber | undefined;
  for (let k = 0; k < CANDIDATES && out === undefined; k++) out = valid(candidate(national, k, keep));
  // regions sharing a calling code (GG, JE and IM in +44) are told apart by longer prefixes
  const longer = Math.max(keep, national.length - 4);
  for (let k = 0; k < CANDIDATES && out === undefined; k++) out = valid(candidate(national, k, longer));
  if (out === undefined) {
    const example = getExampleNumber(country, examples);
    const digits = example ? String(example.nationalNumber) : national;
    out = valid(candidate(digits, 0, Math.max(0, digits.length - 4))) ?? example;
  }
  if (!out) return null;
  const separated = /[\s().-]/.test(text.trim());
  if (text.trim().startsWith('+')) return separated ? out.formatInternational() : out.number;
  return separated ? out.formatNational() : String(out.nationalNumber);
}

/**
 * `phone`: a phone number valid for the same region as the original (see {@link pseudonymPhone}),
 * keyed by the original, in the same format. Numbers without `+<country code>` are read as numbers of
 * `default_country` (default `US`). Accepts strings libphonenumber-js can parse.
 */
export function phoneTransform(options: { defaultCountry: string }): FieldTransform {
  const { defaultCountry } = options;
  return {
    wholeValue: false,
    retryable: true,
    apply(value, { digest, attempt }) {
      if (typeof value !== 'string') throw new TypeMismatch('a phone number string');
      const out = pseudonymPhone(value, digest(Buffer.from(value, 'utf8'), attempt), defaultCountry);
      if (out === null) throw new TypeMismatch(`a phone number (of ${defaultCountry} without +country code)`);
      return out;
    },
  };
}
