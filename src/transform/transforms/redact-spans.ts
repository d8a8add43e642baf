import type { RedactKind } from '../../config/rules-schema.js';
import { DETECTORS } from '../../policy/detectors/index.js';

/** One finding in a text: `[start, end)` in UTF-16 code units, its kind and text. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: RedactKind | 'field_name';
  readonly text: string;
  /** field_name: the word is a first name (the first word of a name field that is not a last name). */
  readonly first?: boolean;
}

/**
 * Every finding of the enabled detectors (the scan's, src/policy/detectors) and every whole-word
 * occurrence of `names` (case-insensitive), without overlaps: where findings overlap, the one that
 * starts first wins, then the longest. Each distinct matched text is located at every position it
 * occurs (the same personal text elsewhere in the value is the same finding).
 *
 * @param names words from the document's own name fields, each marked first name or not
 */
export function findSpans(
  text: string,
  kinds: ReadonlySet<RedactKind>,
  names: ReadonlyMap<string, boolean>,
): Span[] {
  const spans: Span[] = [];
  for (const detector of DETECTORS) {
    if (!kinds.has(detector.name)) continue;
    for (const found of new Set(detector.find(text))) {
      const match = detector.name === 'phone' ? balanced(found) : found;
      for (let at = text.indexOf(match); at >= 0; at = text.indexOf(match, at + 1)) {
        spans.push({ start: at, end: at + match.length, kind: detector.name, text: match });
      }
    }
  }
  if (names.size > 0) {
    const words = [...names.keys()].sort((a, b) => b.length - a.length).map(escape);
    const re = new RegExp(`(?<![\\p{L}\\p{N}])(?:${words.join('|')})(?![\\p{L}\\p{N}])`, 'giu');
    for (const m of text.matchAll(re)) {
      const first = names.get(m[0].toLowerCase()) ?? false;
      spans.push({ start: m.index, end: m.index + m[0].length, kind: 'field_name', text: m[0], first });
    }
  }
  spans.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  let end = 0;
  for (const s of spans) {
    if (s.start < end) continue;
    out.push(s);
    end = s.end;
  }
  return out;
}

/** A phone match without a closing parenthesis it did not open (`+44 20 7946 0958)` in prose). */
function balanced(match: string): string {
  let out = match;
  while (out.endsWith(')') && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0))
    out = out.slice(0, -1);
  return out;
}

function escape(word: string): string {
  return word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
