/** Why a watchdog stopped watching. */
export type WatchdogOutcome = 'released' | 'deadline' | 'parent-gone';

/** What a watchdog listens to: its parent's release, its parent's end, the clock. */
export interface WatchdogSignals {
  /** Called once the parent has unlocked the member itself. */
  onRelease(listener: () => void): void;
  /** Called when the parent is gone (its IPC channel closed: exit, SIGTERM, SIGKILL). */
  onParentGone(listener: () => void): void;
  setTimer(listener: () => void, ms: number): { clear(): void };
}

/** Run one admin command on the locked member (`fsyncUnlock`). */
export type AdminCommand = (
  command: Readonly<Record<string, unknown>>,
) => Promise<Readonly<Record<string, unknown>>>;

/**
 * Wait for the first of: the parent's release, the parent's end, the deadline. On the last two, unlock
 * the member fully (see {@link unlockFully}).
 *
 * @param deadlineMs how long the lock may be held, in ms from now
 * @returns why it stopped, and the lock count left after unlocking (0 when released)
 */
export async function watchLock(
  signals: WatchdogSignals,
  deadlineMs: number,
  run: AdminCommand,
): Promise<{ outcome: WatchdogOutcome; lockCount: number }> {
  const outcome = await new Promise<WatchdogOutcome>((resolve) => {
    const timer = signals.setTimer(() => resolve('deadline'), Math.max(0, deadlineMs));
    signals.onRelease(() => {
      timer.clear();
      resolve('released');
    });
    signals.onParentGone(() => {
      timer.clear();
      resolve('parent-gone');
    });
  });
  if (outcome === 'released') return { outcome, lockCount: 0 };
  return { outcome, lockCount: await unlockFully(run) };
}

/**
 * `fsyncUnlock` until the member's lock count is 0 (each `fsyncLock` adds one): at most `max` calls.
 * An answer "not locked" counts as unlocked.
 *
 * @returns the lock count left (0 once unlocked)
 * @throws the command's error when the member cannot be reached
 */
export async function unlockFully(run: AdminCommand, max = 16): Promise<number> {
  let left = Number.NaN;
  for (let i = 0; i < max; i++) {
    try {
      const reply = await run({ fsyncUnlock: 1 });
      left = Number(reply.lockCount ?? 0);
    } catch (error) {
      if (/not locked/i.test((error as Error).message)) return 0;
      throw error;
    }
    if (left <= 0) return 0;
  }
  return left;
}
