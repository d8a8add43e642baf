import { getExampleNumber, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { TypeMismatch, type FieldTransform } from '../field-transform.js';
import { expandSeed } from '../seed-bytes.js';

/** Keyed candidates tried before falling back to the region's example number. */
const CANDIDATES = 32;

/**
 * A phone number pseudonym valid for the same region as `text` (libphonenumber-js with its full
 * metadata): the calling code and the first digits of the national number (up to 3, the area or
 * mobile prefix) kept, the rest drawn from `seed` until the number is valid; when no candidate is,
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
  let found: string | null = null;
  for (let k = 0; k < CANDIDATES && found === null; k++) {
    const digits = candidate(national, k, keep);
    if (parsePhoneNumberFromString(`+${parsed.countryCallingCode}${digits}`)?.isValid()) found = digits;
  }
  if (found === null) {
    const example = getExampleNumber(country, examples);
    const digits = example ? String(example.nationalNumber) : national;
    const keyed = candidate(digits, 0, Math.max(0, digits.length - 4));
    found = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${keyed}`)?.isValid() ? keyed : digits;
  }
  const out = parsePhoneNumberFromString(`+${parsed.countryCallingCode}${found}`);
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
