import { matchesOf, type Detector } from './detector.js';

// +44 20 7946 0958, +1-819-933-5041, +4915112345678 (E.164 with optional separators)
const INTERNATIONAL = /(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){2,5}(?![\w])/g;
// (555) 123-4567, 555-123-4567, 555.123.4567 (North American formatting)
const NANP = /(?<![\w.-])\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}(?![\w-])/g;

const digitCount = (s: string) => s.replace(/\D/g, '').length;

/**
 * Phone numbers: international (`+` then 8–15 digits, separators allowed) or North American
 * formatted (`(555) 123-4567`, `555.123.4567`), including inside free text. Bare digit runs are not
 * phones (too many ids look alike).
 */
export const phoneDetector: Detector = {
  name: 'phone',
  find: (text) => [
    ...matchesOf(INTERNATIONAL, text, (m) => digitCount(m) >= 8 && digitCount(m) <= 15),
    ...matchesOf(NANP, text),
  ],
};
