import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerUriSecrets } from '../core/redact.js';
import { UsageError } from '../errors/index.js';
import { FsObjectStore } from './fs/fs-object-store.js';
import { ObjectSnapshotCatalog, type ObjectCatalogOptions } from './object-snapshot-catalog.js';
import type { ObjectStore } from './object-store.js';
import type { SnapshotCatalog } from './snapshot-catalog.js';

/**
 * Opens the catalogue of a store that is not an object store (a snapshot database in a MongoDB
 * cluster), registered by the composition root so that `store/` needs no database adapter.
 */
export type CatalogOpener = (url: string, options: ObjectCatalogOptions) => Promise<SnapshotCatalog>;

const CATALOG_SCHEMES = new Map<string, CatalogOpener>();

/** Register the opener of a URL scheme (`mongodb`, `mongodb+srv`). */
export function registerCatalogScheme(scheme: string, opener: CatalogOpener): void {
  CATALOG_SCHEMES.set(scheme.toLowerCase(), opener);
}

function catalogOpenerOf(url: string): CatalogOpener | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  return scheme === undefined ? undefined : CATALOG_SCHEMES.get(scheme.toLowerCase());
}

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
  if (catalogOpenerOf(url)) {
    registerUriSecrets(url);
    return url;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return `file://${resolve(url)}`;
  throw new UsageError('STORE_BAD_URL', `unsupported snapshot store: ${url}`, {
    hint: 'use s3://bucket/prefix, gs://bucket/prefix, file:///path/to/snapshots or a local path',
  });
}

/**
 * Open the catalogue of a store URL: `file:///abs/path` or a plain path (a folder, as an object
 * store), `s3://…`, `gs://…`. Asynchronous so that stores with heavy clients (object storage SDKs)
 * are imported only when their scheme is used.
 * @param options the catalogue's lease time and clock
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export async function openSnapshotStore(
  url: string = defaultStoreUrl(),
  options: ObjectCatalogOptions = {},
): Promise<SnapshotCatalog> {
  const opener = catalogOpenerOf(url);
  if (opener) return opener(url, options);
  return new ObjectSnapshotCatalog(await openObjectStore(url), options);
}

/**
 * The object store under a store URL, for what lives next to the snapshots (backup markers and
 * records, audit records).
 * @throws UsageError `STORE_BAD_URL` for an unsupported scheme
 */
export async function openObjectStore(url: string = defaultStoreUrl()): Promise<ObjectStore> {
  if (catalogOpenerOf(url)) {
    throw new UsageError('STORE_UNSUPPORTED', 'a snapshot database store holds snapshots, not objects', {
      hint: 'backups and audit records need an object store: file://, s3:// or gs://',
    });
  }
  const normal = normalizeStoreUrl(url);
  if (normal.startsWith('s3://')) {
    // the cloud SDKs load only when their store is used (tens of ms and MB at start-up each)
    const { openS3Store } = await import('./s3/open-s3-store.js');
    return openS3Store(new URL(normal));
  }
  if (normal.startsWith('gs://')) {
    const { openGcsStore } = await import('./gcs/open-gcs-store.js');
    return openGcsStore(new URL(normal));
  }
  return new FsObjectStore(fileURLToPath(normal));
}
