import { isDocument } from '../transform/bson-value.js';
import type { ConcreteStep } from '../transform/path-coverage.js';

/** Every leaf (scalar, or empty document/array) with its concrete steps. */
export function walkLeaves(
  value: unknown,
  steps: ConcreteStep[],
  visit: (steps: readonly ConcreteStep[], value: unknown) => void,
): void {
  if (isDocument(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && steps.length > 0) visit(steps, value);
    for (const key of keys) walkLeaves(value[key], [...steps, { key }], visit);
  } else if (Array.isArray(value)) {
    if (value.length === 0) visit(steps, value);
    value.forEach((element, index) => walkLeaves(element, [...steps, { index }], visit));
  } else {
    visit(steps, value);
  }
}
