import { StoreError, UsageError } from '../errors/index.js';
import { MANIFEST_KEY } from '../store/snapshot-keys.js';
import { MAX_SIGNED_URL_SECONDS } from '../store/object-store.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import type { ResolvedSnapshot } from '../store/snapshot-catalog.js';
import type { SnapshotRef } from '../store/snapshot-ref.js';

/** Signed read URLs of one complete snapshot. */
export interface SnapshotShare {
  /** `name@id` (`latest` resolved). */
  readonly snapshot: string;
  /** ISO 8601: when the URLs stop working (earlier if the signing credentials expire first). */
  readonly expiresAt: string;
  readonly expiresInSeconds: number;
  /** `manifest.json` first, then every data object, by key relative to the snapshot. */
  readonly objects: readonly { readonly key: string; readonly url: string }[];
}

/**
 * `dbfork snapshot share`: sign a GET URL for the manifest and every data object of a complete
 * snapshot (an incomplete one does not resolve). Read-only: the URLs grant a GET of those objects
 * until they expire; nothing in the store changes and nothing is made public.
 *
 * @param expiresInSeconds 1 … 604 800 (7 days)
 * @throws UsageError `CONFIG_BAD_OPTION` for an expiry outside that range; StoreError
 *   `SNAPSHOT_NOT_FOUND` (missing or incomplete), `STORE_UNSUPPORTED` (a store that cannot sign URLs,
 *   such as a folder), `STORE_READ_FAILED` (credentials that cannot sign)
 */
export async function shareSnapshot(
  storeUrl: string | undefined,
  ref: SnapshotRef,
  expiresInSeconds: number,
  now: Date = new Date(),
): Promise<SnapshotShare> {
  if (
    !Number.isInteger(expiresInSeconds) ||
    expiresInSeconds < 1 ||
    expiresInSeconds > MAX_SIGNED_URL_SECONDS
  )
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      `--expires must be between 1s and 7d (the longest a signed URL may live), got ${expiresInSeconds}s`,
      { hint: 'e.g. --expires 1h, --expires 2d' },
    );
  const store = await openSnapshotStore(storeUrl);
  const snapshot = await store.resolve(ref);
  const sign = snapshot.signedUrl?.bind(snapshot);
  if (!sign)
    throw new StoreError(
      'STORE_UNSUPPORTED',
      `${store.url} cannot sign URLs: sharing is not supported for this store`,
      {
        hint: 'snapshot share works on s3:// and gs:// stores; copy a file store snapshot with its folder instead',
      },
    );
  const objects = [];
  for (const key of [MANIFEST_KEY, ...(await dataKeys(snapshot))])
    objects.push({ key, url: await sign(key, expiresInSeconds) });
  const { name, id } = snapshot.manifest;
  return {
    snapshot: `${name}@${id}`,
    expiresAt: new Date(now.getTime() + expiresInSeconds * 1000).toISOString(),
    expiresInSeconds,
    objects,
  };
}

/** The data objects a manifest names: the archive, or every object of the dump folder. */
async function dataKeys(snapshot: ResolvedSnapshot): Promise<string[]> {
  const { format, dataPath } = snapshot.manifest;
  return format === 'archive' ? [dataPath] : snapshot.keys(`${dataPath}/`);
}
