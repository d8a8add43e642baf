import type { Readable } from 'node:stream';
import { writableInto } from '../streams/writable-into.js';
import { StoreError } from '../errors/index.js';
import { assertKeyPrefix, assertObjectKey } from './object-key.js';
import type { ObjectStore } from './object-store.js';
import type { PendingSnapshot, ResolvedSnapshot, SnapshotUpload } from './snapshot-catalog.js';
import type { SnapshotManifest } from './snapshot-manifest.js';
import { RESERVED_KEYS } from './snapshot-keys.js';

/**
 * A pending snapshot over an object store: each upload is one `put` under the snapshot's prefix,
 * fed through a bounded buffer, so the writer is paced by the store.
 */
export function objectPendingSnapshot(
  objects: ObjectStore,
  name: string,
  id: string,
  prefix: string,
): PendingSnapshot {
  return {
    name,
    id,
    upload(key: string): SnapshotUpload {
      assertObjectKey(key);
      if (RESERVED_KEYS.has(key))
        throw new StoreError('STORE_BAD_KEY', `${key} is written by the catalogue, not uploaded`, {
          subject: { key },
        });
      return writableInto((body) => objects.put(prefix + key, body).then((info) => info.size));
    },
  };
}

/** A complete snapshot over an object store: its objects are the keys under its prefix. */
export function objectResolvedSnapshot(
  objects: ObjectStore,
  manifest: SnapshotManifest,
  prefix: string,
): ResolvedSnapshot {
  const sign = objects.signedGetUrl?.bind(objects);
  return {
    manifest,
    open(key: string): Promise<Readable> {
      assertObjectKey(key);
      return objects.get(prefix + key);
    },
    async keys(under: string): Promise<string[]> {
      assertKeyPrefix(under);
      const listing = await objects.list(prefix + under);
      return listing.objects.map((o) => o.key.slice(prefix.length));
    },
    locate: (key) => objects.locate(prefix + key),
    ...(sign
      ? {
          signedUrl: (key: string, expiresInSeconds: number) => {
            assertObjectKey(key);
            return sign(prefix + key, expiresInSeconds);
          },
        }
      : {}),
  };
}
