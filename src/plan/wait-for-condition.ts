import type { WaitFor } from './plan-schema.js';

/** Clock and sleep, injectable for tests. */
export interface WaitClock {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

export const REAL_CLOCK: WaitClock = {
  now: Date.now,
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/**
 * Look at `condition` until it holds or the deadline passes. Pauses start at `intervalMs` and double
 * up to `maxIntervalMs` (default `intervalMs`: a fixed pace); the last pause is cut to the deadline,
 * so there is always a look at the deadline itself.
 *
 * @returns true when it held, or the time waited (ms) when the deadline passed
 */
export async function waitForCondition(
  condition: () => Promise<boolean>,
  wait: WaitFor,
  onWait: (waitedMs: number, nextLookMs: number) => void = () => undefined,
  clock: WaitClock = REAL_CLOCK,
): Promise<true | number> {
  const started = clock.now();
  let interval = wait.intervalMs;
  const ceiling = Math.max(wait.maxIntervalMs ?? wait.intervalMs, wait.intervalMs);
  for (;;) {
    if (await condition()) return true;
    const waited = clock.now() - started;
    if (waited >= wait.timeoutMs) return waited;
    const pause = Math.min(interval, wait.timeoutMs - waited);
    onWait(waited, pause);
    await clock.sleep(pause);
    interval = Math.min(ceiling, interval * 2);
  }
}
