import type { NormalizedRules } from '../config/normalized-rules.js';
import type { Namespace } from '../core/namespace.js';
import { namespacePattern } from '../transform/namespace-pattern.js';
import type { ConcreteStep } from '../transform/path-coverage.js';
import { FieldClassifier } from './field-classifier.js';
import { INTERNAL_DATABASES } from './namespace-policy.js';
import type { PathClassification } from './scan-report.js';

/** Classifies sampled paths of one namespace against the rules. */
export interface PathClassifier {
  readonly excluded: boolean;
  classify(steps: readonly ConcreteStep[]): PathClassification;
}

/**
 * Build the classifier of a namespace from every rules key that matches it (see
 * {@link FieldClassifier}: the same classification the fail-closed gate applies in the stream).
 * Without rules every path is unclassified.
 */
export function pathClassifier(rules: NormalizedRules | undefined, ns: Namespace): PathClassifier {
  if (!rules) return { excluded: false, classify: () => 'unclassified' };
  // under rules, internal databases never reach a copy (see namespace-policy.ts): not scanned either
  const excluded = INTERNAL_DATABASES.has(ns.db) || rules.exclusions.some((p) => namespacePattern(p)(ns));
  const fields = fieldClassifierFor(rules, ns);
  return { excluded, classify: (steps) => fields.classify(steps) };
}

/** The {@link FieldClassifier} of one namespace: every rules key matching it, merged. */
export function fieldClassifierFor(rules: NormalizedRules, ns: Namespace): FieldClassifier {
  return new FieldClassifier(rules.collections.filter((c) => namespacePattern(c.pattern)(ns)));
}
