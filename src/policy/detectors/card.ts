import { matchesOf, type Detector } from './detector.js';

const CANDIDATE = /(?<![\w-])\d(?:[ -]?\d){12,18}(?![\w-])/g;
// issuer prefixes: Visa 4, Mastercard 51–55 / 2221–2720, Amex 34/37, Discover/UnionPay 6, Diners 36/38/30, JCB 35
const ISSUER = /^(?:4|5[1-5]|2[2-7]|3[0-8]|6)/;

/** Luhn (mod 10) check, ISO/IEC 7812-1 Annex B. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Payment card numbers: 13–19 digits (spaces or dashes allowed), a card issuer prefix, Luhn-valid. */
export const cardDetector: Detector = {
  name: 'card',
  find: (text) =>
    matchesOf(CANDIDATE, text, (m) => {
      const digits = m.replace(/\D/g, '');
      return digits.length >= 13 && digits.length <= 19 && ISSUER.test(digits) && luhnValid(digits);
    }),
};
