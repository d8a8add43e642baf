import { rulesError } from './rules-error.js';
import type { RulesSource } from './rules-source.js';
import type { NormalizedCollectionRules, NormalizedFieldRule, NormalizedRules } from './normalized-rules.js';

/**
 * Checks of one rule's path and options that the schema cannot express (each `RULES_BAD_PATH` or
 * `RULES_INVALID` at the rule's position):
 * - `**` and `$json` need a key after them, and `$json` a field before it;
 * - `alphabet` (hash, fpe) without repeated characters;
 * - `redact.email_group` names a `hash_email` group;
 * - `age_from.birth_date` is transformed (by a non-late rule) or kept in the collection;
 * - `date_shift` with `keep: weekday` needs `max_days` ≥ 7; `number_noise` needs `min` ≤ `max`.
 *
 * @throws UsageError for the first problem found
 */
export function checkTransformOptions(
  source: RulesSource,
  rules: NormalizedRules,
  collection: NormalizedCollectionRules,
  field: NormalizedFieldRule,
): void {
  const at = (...rest: string[]) => ['rules', collection.pattern, 'fields', field.path, ...rest];
  const segments = field.path.split('.');
  segments.forEach((segment, i) => {
    if ((segment === '**' || segment === '$json') && i === segments.length - 1)
      throw rulesError(
        source,
        'RULES_BAD_PATH',
        at(),
        `${segment} must be followed by a key in ${field.path}`,
      );
    if (segment === '$json' && i === 0)
      throw rulesError(source, 'RULES_BAD_PATH', at(), `$json must follow the field holding the JSON text`);
  });
  const o = field.options;
  if (o.alphabet !== undefined && new Set(o.alphabet).size !== [...o.alphabet].length)
    throw rulesError(source, 'RULES_INVALID', at('alphabet'), 'alphabet repeats a character');
  if (field.transform === 'redact' && o.emailGroup !== undefined) {
    const group = rules.collections.flatMap((c) => c.fields).find((f) => f.group === o.emailGroup);
    if (group?.transform !== 'hash_email')
      throw rulesError(
        source,
        'RULES_INVALID',
        at('email_group'),
        `email_group ${JSON.stringify(o.emailGroup)} is not a group of hash_email rules`,
        'name the group of the hash_email rules whose pseudonyms the text should use',
      );
  }
  if (field.transform === 'age_from' && o.birthDate !== undefined) {
    const covered =
      collection.keep.includes(o.birthDate) ||
      collection.fields.some(
        (f) => f.path === o.birthDate && f.transform !== 'age_from' && f.transform !== 'template',
      );
    if (!covered)
      throw rulesError(
        source,
        'RULES_INVALID',
        at('birth_date'),
        `birth_date ${o.birthDate} is neither transformed nor in keep in ${collection.pattern}`,
        'an age is computed from the anonymized (or explicitly safe) birth date, never from a raw one',
      );
  }
  if (field.transform === 'date_shift' && o.keep === 'weekday' && (o.maxDays ?? 0) < 7)
    throw rulesError(
      source,
      'RULES_INVALID',
      at('max_days'),
      'keep: weekday shifts by whole weeks: max_days must be at least 7',
    );
  if (o.min !== undefined && o.max !== undefined && o.min > o.max)
    throw rulesError(source, 'RULES_INVALID', at('min'), 'min is greater than max');
}
