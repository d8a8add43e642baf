import { StoreError } from '../errors/index.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';
import type { SnapshotManifest } from './snapshot-manifest.js';

/**
 * Check, through the catalogue, that the snapshot a restore read is still there and still the same:
 * its manifest is read again (`info`, a few requests) and compared with the one the restore loaded,
 * key order aside. Any {@link SnapshotCatalog} works: an object store's `manifest.json`, or a
 * snapshot database's `snapshot_metadata`. A restore calls it just before its swap, so a target
 * never mixes two snapshots: a snapshot replaced (rewritten under the same id, as a snapshot
 * database producer does) or deleted while it was being read refuses the swap.
 *
 * @throws StoreError `SNAPSHOT_CHANGED` when it is gone, incomplete, or its manifest differs
 */
export async function assertSnapshotUnchanged(
  catalog: SnapshotCatalog,
  read: SnapshotManifest,
): Promise<void> {
  const ref = `${read.name}@${read.id}`;
  const now = await catalog.info(read.name, read.id);
  const problem =
    now === null || now.manifest === null
      ? 'was deleted'
      : stable(now.manifest) !== stable(read)
        ? 'was replaced (its manifest changed)'
        : null;
  if (problem === null) return;
  throw new StoreError('SNAPSHOT_CHANGED', `snapshot ${ref} ${problem} while it was being restored`, {
    subject: { snapshot: ref, store: catalog.url },
    hint: 'the target keeps its old collections; rerun the restore (it reads the snapshot anew), and keep captures and restores of one snapshot apart',
    labels: ['noWritesPerformed'],
  });
}

/** JSON with object keys sorted: equal for equal values whatever the key order. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}
