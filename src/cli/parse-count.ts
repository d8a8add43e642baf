import { UsageError } from '../errors/index.js';

/**
 * A whole-number flag value, at least `min` (default 1).
 * @throws UsageError `CONFIG_BAD_OPTION` naming the flag
 */
export function parseCount(text: string, flag: string, min = 1): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) {
    throw new UsageError('CONFIG_BAD_OPTION', `${flag} takes a whole number ≥ ${min}, got ${text}`);
  }
  return n;
}
