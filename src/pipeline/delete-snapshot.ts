import { openSnapshotStore } from '../store/open-snapshot-store.js';
import { isSnapshotId } from '../store/snapshot-id.js';
import type { SnapshotRef } from '../store/snapshot-ref.js';

/**
 * `dbfork snapshot delete`: remove one snapshot (`latest` or a day resolved to its id first); the store moves
 * `latest` to the previous complete snapshot. With `dryRun`, only resolve it.
 *
 * @returns the snapshot, as `name@id`
 * @throws StoreError when the snapshot does not exist or cannot be deleted
 */
export async function deleteSnapshot(
  storeUrl: string | undefined,
  ref: SnapshotRef,
  options: { readonly dryRun: boolean },
): Promise<string> {
  const store = await openSnapshotStore(storeUrl);
  const id = isSnapshotId(ref.id) ? ref.id : (await store.resolve(ref)).manifest.id;
  if (!options.dryRun) await store.delete(ref.name, id);
  return `${ref.name}@${id}`;
}
