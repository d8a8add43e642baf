import type { Plan } from '../plan/plan-schema.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import type { RetentionPolicy } from '../store/retention.js';
import { planSnapshotPrune, type PruneListing, type PruneRow } from './snapshot-prune-plan.js';

export interface PruneOptions {
  /** Only snapshots of this name (default: every name, each on its own). */
  readonly name?: string;
  /**
   * The time the store is judged at (default: the system clock): which incomplete snapshots still
   * hold a live lease, and the plan's `createdAt`. Tests fix it.
   */
  readonly now?: Date;
}

/**
 * Plan `dbfork snapshot prune` against the store as it is at `now`: list every name (or the one
 * given), its snapshots and its `latest`, then decide with {@link planSnapshotPrune}. The same on
 * every store (file, S3, GCS): only the catalogue is read.
 *
 * @throws StoreError when the store cannot be listed
 */
export async function planPruneOfStore(
  storeUrl: string | undefined,
  policy: RetentionPolicy,
  options: PruneOptions = {},
): Promise<{ plan: Plan; rows: PruneRow[] }> {
  const { name, now } = options;
  const store = await openSnapshotStore(storeUrl, now ? { now: () => now } : {});
  const names = name === undefined ? await store.names() : [name];
  const listings: PruneListing[] = [];
  for (const n of names)
    listings.push({ name: n, snapshots: await store.list(n), latest: await store.latest(n) });
  return planSnapshotPrune(store.url, policy, listings, now);
}
