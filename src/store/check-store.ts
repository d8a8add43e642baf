import { UsageError } from '../errors/index.js';
import { bucketLocation } from './bucket-url.js';
import type { StoreCheckReport } from './exposure/store-check-report.js';
import { normalizeStoreUrl } from './open-snapshot-store.js';

/**
 * `dbfork store check`: read the access configuration of the bucket behind an `s3://` or `gs://`
 * store and judge whether the bucket or the store's prefix is publicly readable; report versioning
 * and default encryption. Reads only; the cloud SDK loads only for its scheme.
 *
 * @throws UsageError `CONFIG_BAD_OPTION` for a file store, `STORE_BAD_URL` for a bad URL
 */
export async function checkStore(url: string | undefined): Promise<StoreCheckReport> {
  const location = bucketLocation(url);
  if (!location)
    throw new UsageError(
      'CONFIG_BAD_OPTION',
      'store check reads bucket configuration: a file store has none',
      {
        hint: 'a file store is private to its owner (files 0600, folders 0700); check s3://… or gs://… stores',
      },
    );
  const normal = normalizeStoreUrl(url);
  if (location.scheme === 's3') {
    const { s3Client } = await import('./s3/open-s3-store.js');
    const { checkS3Bucket } = await import('./s3/check-s3-bucket.js');
    const client = s3Client();
    try {
      return await checkS3Bucket(client, location, normal);
    } finally {
      client.destroy();
    }
  }
  const { gcsClient } = await import('./gcs/open-gcs-store.js');
  const { checkGcsBucket } = await import('./gcs/check-gcs-bucket.js');
  return checkGcsBucket(gcsClient().bucket(location.bucket), location, normal);
}
