import names from '../dictionaries/person-names.json' with { type: 'json' };
import { matchesOf, type Detector } from './detector.js';

const FIRST = new Set(names.firstNames);
const LAST = new Set(names.lastNames);
// First [Middle|M.] Last
const FULL_NAME =
  /(?<![\w])([A-Z][a-z]+) +(?:[A-Z]\.? +|[A-Z][a-z]+ +)?([A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)(?![\w])/g;
const TITLED = /(?<![\w])(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+([A-Z][a-z]+(?:[-'][A-Z][a-z]+)?)(?![\w])/g;

/**
 * Personal names by dictionary (`dictionaries/person-names.json`: ~3,000 first and ~450 last names
 * from faker's en locale, minus first names that are common words): a dictionary first name followed
 * by a capitalized word (optionally a middle name or initial between), or a title and a dictionary
 * last name (`Mrs. Schmidt`), including inside free text.
 */
export const personNameDetector: Detector = {
  name: 'person_name',
  find: (text) => {
    if (!/[A-Z][a-z]+\s+[A-Z]/.test(text)) return [];
    return [
      ...matchesOf(FULL_NAME, text, (m) => FIRST.has(m.split(/ +/)[0] ?? '')),
      ...[...text.matchAll(TITLED)].filter((m) => LAST.has(m[1] ?? '')).map((m) => m[0]),
    ];
  },
};
