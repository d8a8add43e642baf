import type { SnapshotCatalog } from './snapshot-catalog.js';

/** What a store holds of one snapshot name (or of every name): complete snapshots and their stored bytes. */
export interface StoreUsage {
  /** Complete snapshots. */
  readonly snapshots: number;
  /** The stored size of their objects (after compression and encryption), in bytes, as their manifests say. */
  readonly bytes: number;
}

/** The usage of `name`'s snapshots, or of every name's when `name` is undefined (one listing). */
export async function storeUsage(catalog: SnapshotCatalog, name?: string): Promise<StoreUsage> {
  const complete = (await catalog.list(name)).filter((s) => s.manifest !== null);
  return {
    snapshots: complete.length,
    bytes: complete.reduce((n, s) => n + (s.manifest?.sizeBytes ?? 0), 0),
  };
}
