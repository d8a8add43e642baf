import { pathsOverlap } from './path-overlap.js';
import { rulesError } from './rules-error.js';
import type { RulesSource } from './rules-source.js';
import type { NormalizedCollectionRules } from './normalized-rules.js';

/**
 * Checks of a collection's `shuffle` rules that the schema cannot express (see
 * transform/window-shuffle.ts for what a shuffle does):
 * - its path has no `**` or `$json` (values move between documents whole, at fixed places):
 *   `RULES_BAD_PATH`;
 * - no `group` and no `nullify_fraction` (a permutation has no per-value output to share or blank);
 * - every shuffle rule of the collection has the same `window` (documents are held per window);
 * - no other rule's `when:` test, and no `redact.name_fields`, reads a shuffled field: the other rules
 *   see the document after the shuffle, so such a test would judge a value the document only
 *   received (and a `redact` would look for another document's names). All `RULES_INVALID`.
 *
 * @throws UsageError for the first problem found
 */
export function checkShuffleRules(source: RulesSource, collection: NormalizedCollectionRules): void {
  const shuffles = collection.fields.filter((f) => f.transform === 'shuffle');
  if (shuffles.length === 0) return;
  const at = (path: string, ...rest: string[]) => ['rules', collection.pattern, 'fields', path, ...rest];
  const window = shuffles[0]?.options.window;
  for (const s of shuffles) {
    const segments = s.path.split('.');
    if (segments.includes('**') || segments.includes('$json'))
      throw rulesError(
        source,
        'RULES_BAD_PATH',
        at(s.path),
        `shuffle moves whole values between documents: ${s.path} may not use ** or $json`,
        'name the field with keys and * only',
      );
    if (s.group !== null)
      throw rulesError(source, 'RULES_INVALID', at(s.path, 'group'), 'shuffle rules take no group');
    if (s.nullifyFraction !== undefined)
      throw rulesError(
        source,
        'RULES_INVALID',
        at(s.path, 'nullify_fraction'),
        'shuffle rules take no nullify_fraction (a permutation keeps every value)',
      );
    if (s.options.window !== window)
      throw rulesError(
        source,
        'RULES_INVALID',
        at(s.path, 'window'),
        `every shuffle rule of ${collection.pattern} needs the same window (${String(window)})`,
      );
  }
  const shuffled = (path: string) =>
    shuffles.find((s) => pathsOverlap(s.path.split('.'), path.split('.')))?.path;
  for (const f of collection.fields) {
    if (f.transform === 'shuffle') continue;
    for (const path of Object.keys(f.when ?? {})) {
      const hit = shuffled(path);
      if (hit)
        throw rulesError(
          source,
          'RULES_INVALID',
          at(f.path, 'when', path),
          `when: tests ${path}, which is shuffled (${hit}): the test would see another document's value`,
          'test a field that is not shuffled, or keep the field instead of shuffling it',
        );
    }
    for (const path of f.options.nameFields ?? []) {
      const hit = shuffled(path);
      if (hit)
        throw rulesError(
          source,
          'RULES_INVALID',
          at(f.path, 'name_fields'),
          `name_fields lists ${path}, which is shuffled (${hit}): the document's own names would go unfound`,
          'take names from fields that are not shuffled',
        );
    }
  }
}
