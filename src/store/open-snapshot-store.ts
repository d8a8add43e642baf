import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors/index.js';
import { FsObjectStore } from './fs/fs-object-store.js';
import { ObjectSnapshotCatalog } from './object-snapshot-catalog.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';

/** The default store: `$DBFORK_STORE`, else `~/.dbfork/snapshots`. */
export function defaultStoreUrl(): string {
  return process.env.DBFORK_STORE ?? `file://${join(homedir(), '.dbfork', 'snapshots')}`;
}

/**
 * The canonical URL of a store (`file:///abs/path` for a path or a file URL), as plans record it.
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export function normalizeStoreUrl(url: string = defaultStoreUrl()): string {
  if (url.startsWith('file://')) return `file://${fileURLToPath(url)}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `file://${resolve(url)}`;
  throw new UsageError('STORE_BAD_URL', `unsupported snapshot store: ${url}`, {
    hint: 'use file:///path/to/snapshots or a local path',
  });
}

/**
 * Open the snapshot catalogue of a store URL: `file:///abs/path` or a plain path (a folder, as an
 * object store). Asynchronous so that stores with heavy clients (object storage SDKs) can be
 * imported only when their scheme is used.
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export async function openSnapshotStore(url: string = defaultStoreUrl()): Promise<SnapshotCatalog> {
  return new ObjectSnapshotCatalog(new FsObjectStore(fileURLToPath(normalizeStoreUrl(url))));
}
