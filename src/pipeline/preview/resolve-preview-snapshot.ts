import { StoreError } from '../../errors/index.js';
import type { SnapshotSelector } from '../../preview/preview-action.js';
import { openSnapshotStore } from '../../store/open-snapshot-store.js';

/** A restore action's snapshot, resolved in the store: the exact `name@id` and when it was taken. */
export interface ResolvedPreviewSnapshot {
  readonly ref: string;
  readonly takenAt: string;
}

/**
 * Resolve `latest`, an id, or a UTC day (`2026-01-09`: the newest complete snapshot created that
 * day) of snapshot `name` in `store` to one complete snapshot.
 *
 * @throws StoreError `SNAPSHOT_NOT_FOUND` when none matches; StoreError from the store
 */
export async function resolvePreviewSnapshot(
  store: string,
  name: string,
  snapshot: string,
  select: SnapshotSelector,
): Promise<ResolvedPreviewSnapshot> {
  const catalog = await openSnapshotStore(store);
  if (select !== 'date') {
    const { manifest } = await catalog.resolve({ name, id: snapshot });
    return { ref: `${name}@${manifest.id}`, takenAt: manifest.createdAt };
  }
  const day = (await catalog.list(name)).find(
    (s) => s.status === 'complete' && s.manifest?.createdAt.slice(0, 10) === snapshot,
  );
  if (!day?.manifest) {
    throw new StoreError(
      'SNAPSHOT_NOT_FOUND',
      `no complete snapshot ${name} of ${snapshot} (UTC) in ${catalog.url}`,
      {
        subject: { snapshot: `${name}@${snapshot}` },
        hint: `dbfork snapshot list --store ${catalog.url} --name ${name} shows the days there are; or use snapshotId: latest`,
      },
    );
  }
  return { ref: `${name}@${day.id}`, takenAt: day.manifest.createdAt };
}
