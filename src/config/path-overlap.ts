/**
 * True when two rule paths (split on dots) can reach the same value, or one the other's parent;
 * `*` matches any one key. With `**` (any run of keys) only reaching the very same value counts: a
 * `**.email` rule does not clash with a rule on `name` merely because `name.email` could exist.
 */
export function pathsOverlap(a: readonly string[], b: readonly string[]): boolean {
  if (!a.includes('**') && !b.includes('**')) {
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i] && a[i] !== '*' && b[i] !== '*') return false;
    return true;
  }
  return sameValue(a, 0, b, 0);
}

function sameValue(a: readonly string[], i: number, b: readonly string[], j: number): boolean {
  if (i === a.length || j === b.length) return i === a.length && j === b.length;
  if (a[i] === '**') return sameValue(a, i + 1, b, j) || sameValue(a, i, b, j + 1);
  if (b[j] === '**') return sameValue(a, i, b, j + 1) || sameValue(a, i + 1, b, j);
  if (a[i] !== b[j] && a[i] !== '*' && b[j] !== '*') return false;
  return sameValue(a, i + 1, b, j + 1);
}
