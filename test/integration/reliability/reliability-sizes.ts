/**
 * Sizes of the reliability scenarios: reduced in `npm test` (each file well under 30 s), full with
 * `DBFORK_RELIABILITY_FULL=1` (`npm run reliability`).
 */
export const FULL = process.env.DBFORK_RELIABILITY_FULL === '1';

/** `reduced` in `npm test`, `full` under `npm run reliability`. */
export function size<T>(reduced: T, full: T): T {
  return FULL ? full : reduced;
}

/** Per-test timeout in ms: the default 2 minutes in `npm test`, 20 minutes at full sizes. */
export const TIMEOUT = FULL ? 1_200_000 : 240_000;
