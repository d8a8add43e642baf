import type { FieldPath } from './field-path.js';

/** One step of a concrete path as met while walking a document: a key, or an array position. */
export type ConcreteStep = { readonly key: string } | { readonly index: number };

/**
 * True when rule path `rule` reaches the value at `concrete` or one of its ancestors, with the same
 * semantics as {@link rewritePath}: array positions are transparent unless the rule names them (a
 * number) or matches them with `*`. So `Contacts.Email` covers `Contacts[2].Email`, `address` covers
 * `address.street`, `ExternalIds.*.id` covers both `ExternalIds.google.id` and `ExternalIds[0].id`.
 */
export function pathCovers(rule: FieldPath, concrete: readonly ConcreteStep[]): boolean {
  return match(rule, 0, concrete, 0);
}

function match(rule: FieldPath, i: number, concrete: readonly ConcreteStep[], j: number): boolean {
  if (i === rule.length) return true;
  const step = concrete[j];
  if (step === undefined) return false;
  const segment = rule[i];
  if ('index' in step) {
    if ((segment === '*' || segment === String(step.index)) && match(rule, i + 1, concrete, j + 1))
      return true;
    return match(rule, i, concrete, j + 1);
  }
  return (segment === '*' || segment === step.key) && match(rule, i + 1, concrete, j + 1);
}

/** A concrete path without array positions, as reports show it: `Contacts.Email`. */
export function displayPath(concrete: readonly ConcreteStep[]): string {
  return concrete
    .filter((s): s is { key: string } => 'key' in s)
    .map((s) => s.key)
    .join('.');
}
