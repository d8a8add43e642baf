import { UsageError } from '../errors/index.js';
import { normalizeStoreUrl } from './open-snapshot-store.js';

/** Where an object store's keys live: a bucket and a key prefix in it. */
export interface BucketLocation {
  readonly scheme: 's3' | 'gs';
  readonly bucket: string;
  /** Without leading or trailing `/`; `""` for the whole bucket. */
  readonly prefix: string;
}

/**
 * The bucket and prefix of an `s3://bucket/prefix` or `gs://bucket/prefix` URL (query options
 * ignored); null for a file store.
 * @throws UsageError `STORE_BAD_URL` for an unknown scheme or a URL without a bucket
 */
export function bucketLocation(url: string | undefined): BucketLocation | null {
  const normal = normalizeStoreUrl(url);
  if (normal.startsWith('file://')) return null;
  return bucketOf(new URL(normal));
}

/**
 * The bucket and prefix of a parsed `s3://` or `gs://` URL.
 * @throws UsageError `STORE_BAD_URL` for a URL without a bucket
 */
export function bucketOf(url: URL): BucketLocation {
  const scheme = url.protocol === 'gs:' ? 'gs' : 's3';
  if (!url.hostname)
    throw new UsageError('STORE_BAD_URL', `${url.href} names no bucket`, {
      hint: `e.g. ${scheme}://my-snapshots/prod`,
    });
  return { scheme, bucket: url.hostname, prefix: url.pathname.replace(/^\/+|\/+$/g, '') };
}
