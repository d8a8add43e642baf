/**
 * Sizes of the reliability scenarios: reduced in `npm test` (each file well under 30 s), full with
 * `DBFORK_RELIABILITY_FULL=1` (`npm run reliability`).
 */
export const FULL = process.env.DBFORK_RELIABILITY_FULL === '1';

/** `reduced` in `npm test`, `full` under `npm run reliability`. */
export function size<T>(reduced: T, full: T): T {
  return FULL ? full : reduced;
}
