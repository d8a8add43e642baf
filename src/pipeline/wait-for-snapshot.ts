import { formatDuration } from '../core/duration.js';
import { StoreError, isDbforkError } from '../errors/index.js';
import type { ResolvedSnapshot, SnapshotCatalog } from '../store/snapshot-catalog.js';
import { formatSnapshotRef, type SnapshotRef } from '../store/snapshot-ref.js';

export interface WaitOptions {
  /** How long to wait in all, in ms (0 = do not wait). */
  readonly waitMs: number;
  /** Pause between looks, in ms. */
  readonly intervalMs: number;
  /** Called before each pause, with the time waited so far (ms). */
  readonly onWait?: (waitedMs: number) => void;
  /** Injected clock and sleep, for tests. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * Resolve a snapshot, waiting for it to appear if it is not there yet (the first preview deploy can
 * come before the first scheduled snapshot). Looks every `intervalMs` until `waitMs` has passed.
 *
 * @throws StoreError `SNAPSHOT_WAIT_TIMEOUT` listing the user's options when it never appears;
 *   other store errors (a corrupt manifest) at once
 */
export async function waitForSnapshot(
  store: SnapshotCatalog,
  ref: SnapshotRef,
  options: WaitOptions,
): Promise<ResolvedSnapshot> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const started = now();
  for (;;) {
    try {
      return await store.resolve(ref);
    } catch (error) {
      if (!isDbforkError(error) || error.code !== 'SNAPSHOT_NOT_FOUND') throw error;
      const waited = now() - started;
      if (waited >= options.waitMs) {
        if (options.waitMs === 0) throw error;
        throw snapshotWaitTimeout(ref, store.url, options.waitMs, error);
      }
      options.onWait?.(waited);
      await sleep(Math.min(options.intervalMs, options.waitMs - waited));
    }
  }
}

/**
 * The error when a snapshot did not appear in time; the hint lists the user's options.
 * @returns StoreError `SNAPSHOT_WAIT_TIMEOUT`
 */
export function snapshotWaitTimeout(
  ref: SnapshotRef,
  storeUrl: string,
  waitMs: number,
  cause?: unknown,
): StoreError {
  return new StoreError(
    'SNAPSHOT_WAIT_TIMEOUT',
    `snapshot ${formatSnapshotRef(ref)} did not appear in ${storeUrl} within ${formatDuration(waitMs)}`,
    {
      subject: { snapshot: formatSnapshotRef(ref) },
      hint:
        'this is expected before the first scheduled snapshot has run. Options: ' +
        `(1) wait for the scheduled snapshot and retry, or rerun with a longer --wait; ` +
        `(2) take one now: dbfork snapshot create --db <db> --name ${ref.name} …; ` +
        '(3) deploy without a snapshot (seed data): drop the use-snapshot label',
      ...(cause === undefined ? {} : { cause }),
    },
  );
}
