import type { NormalizedRules } from '../config/normalized-rules.js';
import type { Namespace } from '../core/namespace.js';
import { parseFieldPath, type FieldPath } from '../transform/field-path.js';
import { namespacePattern } from '../transform/namespace-pattern.js';
import { pathCovers, type ConcreteStep } from '../transform/path-coverage.js';
import type { PathClassification } from './scan-report.js';

/** Classifies sampled paths of one namespace against the rules. */
export interface PathClassifier {
  readonly excluded: boolean;
  classify(steps: readonly ConcreteStep[]): PathClassification;
}

/**
 * Build the classifier of a namespace: a path is `transformed` when a field rule of a matching
 * collection key reaches it or one of its ancestors (same semantics as the rewrite, see
 * path-coverage.ts), else `kept` when a `keep` path does, else `unclassified`. Without rules every
 * path is unclassified.
 */
export function pathClassifier(rules: NormalizedRules | undefined, ns: Namespace): PathClassifier {
  if (!rules) return { excluded: false, classify: () => 'unclassified' };
  const excluded = rules.exclusions.some((p) => namespacePattern(p)(ns));
  const transformed: FieldPath[] = [];
  const kept: FieldPath[] = [];
  for (const collection of rules.collections) {
    if (!namespacePattern(collection.pattern)(ns)) continue;
    for (const field of collection.fields) transformed.push(parseFieldPath(field.path));
    for (const path of collection.keep) kept.push(parseFieldPath(path));
  }
  return {
    excluded,
    classify(steps) {
      if (transformed.some((p) => pathCovers(p, steps))) return 'transformed';
      if (kept.some((p) => pathCovers(p, steps))) return 'kept';
      return 'unclassified';
    },
  };
}
