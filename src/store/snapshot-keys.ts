/**
 * Where a snapshot catalogue keeps things in an object store. The layout is the filesystem store's
 * since 0.1.0, so older stores read as they are:
 *
 * ```
 * <name>/latest                 the id of the newest complete snapshot
 * <name>/<id>/manifest.json     written last: its presence makes the snapshot complete
 * <name>/<id>/.lock             the writer's lease while it runs; removed on commit
 * <name>/<id>/<data keys>       data.archive[.gz], or dump/<db>/<file> for directory snapshots
 * ```
 */
export const MANIFEST_KEY = 'manifest.json';
export const LEASE_KEY = '.lock';
const LATEST_KEY = 'latest';

/** Keys a pending snapshot may not upload: the catalogue writes them. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([MANIFEST_KEY, LEASE_KEY]);

/** `<name>/<id>/`: the prefix of every object of a snapshot. */
export function snapshotPrefix(name: string, id: string): string {
  return `${name}/${id}/`;
}

export function latestKey(name: string): string {
  return `${name}/${LATEST_KEY}`;
}
