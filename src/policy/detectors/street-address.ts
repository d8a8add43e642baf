import { en } from '@faker-js/faker';
import { matchesOf, type Detector } from './detector.js';

// US/UK-style street suffixes: faker's en list (195 words: Avenue, Glens, Turnpike, …) plus abbreviations
const ABBREVIATIONS = [
  'St',
  'Ave',
  'Rd',
  'Blvd',
  'Ln',
  'Dr',
  'Ct',
  'Pl',
  'Sq',
  'Pkwy',
  'Hwy',
  'Ter',
  'Cir',
  'Trl',
];
const SUFFIXES = [...new Set([...(en.location?.street_suffix ?? []), ...ABBREVIATIONS])].sort(
  (a, b) => b.length - a.length,
);
const ADDRESS = new RegExp(
  `(?<![\\w])\\d{1,6}[A-Za-z]?\\s+(?:[A-Z][A-Za-z'.-]*\\s+){1,4}(?:${SUFFIXES.join('|')})\\b\\.?`,
  'g',
);
const PO_BOX = /\bP\.?\s?O\.?\s+Box\s+\d+/gi;

/**
 * Street addresses: a house number, one to four capitalized words and a street suffix
 * (`9286 Bethany Glens`, `12 N Main St.`), and PO boxes, including inside free text.
 */
export const streetAddressDetector: Detector = {
  name: 'street_address',
  find: (text) => (/\d/.test(text) ? [...matchesOf(ADDRESS, text), ...matchesOf(PO_BOX, text)] : []),
};
