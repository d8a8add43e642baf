import { EJSON } from 'bson';
import { canonicalJson } from './rules-digest.js';
import { rulesError } from './rules-error.js';
import type { RulesSource } from './rules-source.js';
import type { NormalizedCollectionRules, NormalizedRules } from './normalized-rules.js';
import { parseTemplate } from './template-placeholders.js';
import { valueAt } from './value-at.js';
import { checkTransformOptions } from './validate-transform-options.js';
import { checkShuffleRules } from './validate-shuffle.js';
import { pathsOverlap } from './path-overlap.js';

/** Transforms whose output does not depend on the input: they can never be unique. */
const CONSTANT_OUTPUT = new Set(['constant', 'null', 'unset']);

/**
 * Checks the schema cannot express, each reported with its file position:
 * - two paths of one collection that overlap (`a` and `a.b`, `a.*` and `a.x`): `RULES_BAD_PATH`;
 * - a path both transformed and kept, a `constant` without `value` or with bad Extended JSON, a
 *   regular expression that does not compile, a template that references a field neither
 *   transformed (by a non-template rule) nor kept (it could copy raw personal data), `unique: true`
 *   on a transform with a constant output, and a `group` used with different transforms or
 *   options: `RULES_INVALID`.
 *
 * @throws UsageError for the first problem found (file order)
 */
export function validateRules(source: RulesSource, rules: NormalizedRules): void {
  const groups = new Map<string, { signature: string; where: string }>();
  for (const collection of rules.collections) {
    checkOverlaps(source, collection);
    checkShuffleRules(source, collection);
    const keep = new Set(collection.keep);
    for (const field of collection.fields) {
      const at = (...rest: string[]) => ['rules', collection.pattern, 'fields', field.path, ...rest];
      if (keep.has(field.path)) {
        throw rulesError(source, 'RULES_INVALID', at(), `${field.path} is both transformed and in keep`);
      }
      if (field.unique === true && CONSTANT_OUTPUT.has(field.transform)) {
        throw rulesError(
          source,
          'RULES_INVALID',
          at('unique'),
          `${field.transform} gives every document the same value, so it cannot be unique`,
        );
      }
      if (field.transform === 'constant') checkConstant(source, at('value'), at());
      if (field.transform === 'regex_replace')
        checkRegExp(source, at('pattern'), field.options.pattern ?? '', field.options.flags ?? '');
      if (field.transform === 'template')
        checkTemplate(source, at('template'), collection, field.options.template ?? '');
      checkTransformOptions(source, rules, collection, field);
      if (field.group !== null) {
        const signature = canonicalJson({ transform: field.transform, options: field.options });
        const first = groups.get(field.group);
        if (!first) groups.set(field.group, { signature, where: `${collection.pattern}.${field.path}` });
        else if (first.signature !== signature) {
          throw rulesError(
            source,
            'RULES_INVALID',
            at('group'),
            `group ${JSON.stringify(field.group)} is used with a different transform or options than at ${first.where}`,
            'every rule of a group must have the same transform and options, so equal inputs give equal outputs',
          );
        }
      }
    }
  }
}

function checkOverlaps(source: RulesSource, collection: NormalizedCollectionRules): void {
  const paths = collection.fields.map((f) => f.path);
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = paths[i] ?? '';
      const b = paths[j] ?? '';
      if (overlap(a.split('.'), b.split('.'))) {
        throw rulesError(
          source,
          'RULES_BAD_PATH',
          ['rules', collection.pattern, 'fields', a],
          `field path ${a} overlaps ${b}: a value would be transformed twice`,
          'make the paths disjoint (a rule on a parent path covers its children)',
        );
      }
    }
  }
}

/** True when one path can reach the same value as the other or one of its parents. */
const overlap = pathsOverlap;

function checkConstant(source: RulesSource, valuePath: string[], rulePath: string[]): void {
  const raw = valueAt(source.value, rulePath);
  if (raw === null || typeof raw !== 'object' || !('value' in raw)) {
    throw rulesError(
      source,
      'RULES_INVALID',
      rulePath,
      'constant needs a value (use the null transform for null)',
    );
  }
  try {
    EJSON.deserialize({ v: (raw as { value: unknown }).value }, { relaxed: false });
  } catch (error) {
    throw rulesError(
      source,
      'RULES_INVALID',
      valuePath,
      `value is not valid Extended JSON: ${(error as Error).message}`,
    );
  }
}

function checkRegExp(source: RulesSource, path: string[], pattern: string, flags: string): void {
  try {
    new RegExp(pattern, flags);
  } catch (error) {
    throw rulesError(source, 'RULES_INVALID', path, `pattern does not compile: ${(error as Error).message}`);
  }
}

function checkTemplate(
  source: RulesSource,
  path: string[],
  collection: NormalizedCollectionRules,
  template: string,
): void {
  let parts;
  try {
    parts = parseTemplate(template);
  } catch (error) {
    throw rulesError(source, 'RULES_INVALID', path, `bad template: ${(error as Error).message}`);
  }
  const transformed = new Set(collection.fields.filter((f) => f.transform !== 'template').map((f) => f.path));
  for (const part of parts) {
    if (part.type !== 'field') continue;
    if (!transformed.has(part.path) && !collection.keep.includes(part.path)) {
      throw rulesError(
        source,
        'RULES_INVALID',
        path,
        `template uses {${part.path}}, which is neither transformed nor in keep in ${collection.pattern}`,
        'a template may only use anonymized or explicitly safe fields, never raw ones',
      );
    }
  }
}
