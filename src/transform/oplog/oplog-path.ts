/**
 * One segment of a path an oplog update writes: a document key, or an array position. `$set`
 * paths say nothing about containers, so a numeric segment is taken as an array position (the
 * reading that anonymizes more: a rule such as `items.sku` then reaches `items.3.sku`); the
 * `$v: 2` diff format says which containers are arrays.
 */
export interface PathStep {
  readonly key: string;
  readonly array: boolean;
}

const INDEX = /^\d+$/;

/** The steps of a `$set`/`$unset` dot path (`items.3.sku`). */
export function stepsOfDotPath(path: string): PathStep[] {
  return path.split('.').map((key) => ({ key, array: INDEX.test(key) }));
}

/** The dot path of steps (`items.3.sku`). */
export function dotPathOf(steps: readonly PathStep[]): string {
  return steps.map((s) => s.key).join('.');
}

/**
 * The smallest document that holds `value` at `steps`: `{items: [{sku: value}]}` for
 * `items.3.sku`. An array position becomes a one-element array (so a rule with an explicit
 * position cannot be honoured: callers refuse those, see `hasPositionalRule`).
 */
export function sparseDocument(steps: readonly PathStep[], value: unknown): Record<string, unknown> {
  let inner: unknown = value;
  for (let i = steps.length - 1; i >= 1; i--) {
    const step = steps[i]!;
    inner = step.array ? [inner] : { [step.key]: inner };
  }
  return { [steps[0]!.key]: inner };
}

/** The value {@link sparseDocument} put at `steps`, after a rewrite; `missing` when it is gone. */
export function valueInSparse(
  document: Record<string, unknown>,
  steps: readonly PathStep[],
): { readonly found: true; readonly value: unknown } | { readonly found: false } {
  let current: unknown = document;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (i > 0 && step.array) {
      if (!Array.isArray(current) || current.length !== 1) return { found: false };
      current = current[0];
    } else {
      if (typeof current !== 'object' || current === null || Array.isArray(current)) return { found: false };
      if (!Object.hasOwn(current, step.key)) return { found: false };
      current = (current as Record<string, unknown>)[step.key];
    }
  }
  return { found: true, value: current };
}
