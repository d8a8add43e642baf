import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors/index.js';
import { FsObjectStore } from './fs/fs-object-store.js';
import { ObjectSnapshotCatalog, type ObjectCatalogOptions } from './object-snapshot-catalog.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';

/** The default store: `$DBFORK_STORE`, else `~/.dbfork/snapshots`. */
export function defaultStoreUrl(): string {
  return process.env.DBFORK_STORE ?? `file://${join(homedir(), '.dbfork', 'snapshots')}`;
}

/**
 * The canonical URL of a store, as plans record it: `file:///abs/path` for a path or a file URL,
 * `s3://bucket/prefix[?…]` and `gs://bucket/prefix` as given.
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export function normalizeStoreUrl(url: string = defaultStoreUrl()): string {
  if (url.startsWith('file://')) return `file://${fileURLToPath(url)}`;
  if (url.startsWith('s3://') || url.startsWith('gs://')) return url;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `file://${resolve(url)}`;
  throw new UsageError('STORE_BAD_URL', `unsupported snapshot store: ${url}`, {
    hint: 'use s3://bucket/prefix, gs://bucket/prefix, file:///path/to/snapshots or a local path',
  });
}

/**
 * Open the snapshot catalogue of a store URL: `file:///abs/path` or a plain path (a folder, as an
 * object store). Asynchronous so that stores with heavy clients (object storage SDKs) can be
 * imported only when their scheme is used.
 * @param options the catalogue's lease time and clock (tests fix the clock)
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export async function openSnapshotStore(
  url: string = defaultStoreUrl(),
  options: ObjectCatalogOptions = {},
): Promise<SnapshotCatalog> {
  const normal = normalizeStoreUrl(url);
  if (normal.startsWith('s3://')) {
    // the cloud SDKs load only when their store is used (tens of ms and MB at start-up each)
    const { openS3Store } = await import('./s3/open-s3-store.js');
    return new ObjectSnapshotCatalog(openS3Store(new URL(normal)), options);
  }
  if (normal.startsWith('gs://')) {
    const { openGcsStore } = await import('./gcs/open-gcs-store.js');
    return new ObjectSnapshotCatalog(openGcsStore(new URL(normal)), options);
  }
  return new ObjectSnapshotCatalog(new FsObjectStore(fileURLToPath(normal)), options);
}
