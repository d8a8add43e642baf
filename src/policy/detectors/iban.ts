import { matchesOf, type Detector } from './detector.js';

const CANDIDATE = /(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![A-Za-z0-9])/g;

/** ISO 13616 check: move the first 4 characters to the end, letters → 10..35, mod 97 must be 1. */
export function ibanValid(iban: string): boolean {
  const compact = iban.replace(/ /g, '');
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const c of rearranged) {
    const value = c >= 'A' && c <= 'Z' ? String(c.charCodeAt(0) - 55) : c;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

/** IBANs (compact or in groups of four), checked with the ISO 13616 mod-97 rule. */
export const ibanDetector: Detector = {
  name: 'iban',
  find: (text) => matchesOf(CANDIDATE, text, ibanValid),
};
