import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../errors/index.js';
import { FsSnapshotStore } from './fs/fs-snapshot-store.js';
import type { SnapshotStore } from './snapshot-store.js';

/** The default store: `$DBFORK_STORE`, else `~/.dbfork/snapshots`. */
export function defaultStoreUrl(): string {
  return process.env.DBFORK_STORE ?? `file://${join(homedir(), '.dbfork', 'snapshots')}`;
}

/**
 * Open a snapshot store from a URL: `file:///abs/path` or a plain path.
 * @throws UsageError `STORE_BAD_URL` for any other scheme
 */
export function openSnapshotStore(url: string = defaultStoreUrl()): SnapshotStore {
  if (url.startsWith('file://')) return new FsSnapshotStore(fileURLToPath(url));
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return new FsSnapshotStore(resolve(url));
  throw new UsageError('STORE_BAD_URL', `unsupported snapshot store: ${url}`, {
    hint: 'use file:///path/to/snapshots or a local path',
  });
}
