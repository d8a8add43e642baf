import type { Plan } from '../plan/plan-schema.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import type { RetentionPolicy } from '../store/retention.js';
import { planSnapshotPrune, type PruneListing, type PruneRow } from './snapshot-prune-plan.js';

/**
 * Plan `dbfork snapshot prune` against the store as it is now: list every name (or the one given),
 * its snapshots and its `latest`, then decide with {@link planSnapshotPrune}.
 *
 * @throws StoreError when the store cannot be listed
 */
export async function planPruneOfStore(
  storeUrl: string | undefined,
  policy: RetentionPolicy,
  name?: string,
): Promise<{ plan: Plan; rows: PruneRow[] }> {
  const store = await openSnapshotStore(storeUrl);
  const names = name === undefined ? await store.names() : [name];
  const listings: PruneListing[] = [];
  for (const n of names)
    listings.push({ name: n, snapshots: await store.list(n), latest: await store.latest(n) });
  return planSnapshotPrune(store.url, policy, listings);
}
