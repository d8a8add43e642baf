import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';

/**
 * Every object version and delete marker under a key prefix of a bucket (`ListObjectVersions`,
 * walked to its end), as two lists: versions holding data, then delete markers. Needs
 * `s3:ListBucketVersions`.
 */
export async function listVersions(
  client: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ versions: ObjectIdentifier[]; markers: ObjectIdentifier[] }> {
  const versions: ObjectIdentifier[] = [];
  const markers: ObjectIdentifier[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  do {
    const page = await client.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: prefix,
        ...(keyMarker ? { KeyMarker: keyMarker } : {}),
        ...(versionIdMarker ? { VersionIdMarker: versionIdMarker } : {}),
      }),
    );
    for (const v of page.Versions ?? [])
      if (v.Key && v.VersionId) versions.push({ Key: v.Key, VersionId: v.VersionId });
    for (const m of page.DeleteMarkers ?? [])
      if (m.Key && m.VersionId) markers.push({ Key: m.Key, VersionId: m.VersionId });
    const more = page.IsTruncated === true;
    keyMarker = more ? page.NextKeyMarker : undefined;
    versionIdMarker = more ? page.NextVersionIdMarker : undefined;
  } while (keyMarker);
  return { versions, markers };
}

/**
 * Delete objects (or, with `VersionId`, object versions and delete markers) by `DeleteObjects`, 1,000
 * per request. S3 answers such a request with 200 even when some keys failed, so the per-key errors
 * are read and the first one thrown.
 *
 * @throws Error naming the key, S3's error code and message, when S3 refused to delete one
 */
export async function deleteKeys(
  client: S3Client,
  bucket: string,
  objects: readonly ObjectIdentifier[],
): Promise<void> {
  for (let at = 0; at < objects.length; at += 1000) {
    const out = await client.send(
      new DeleteObjectsCommand({
        Bucket: bucket,
        Delete: { Objects: objects.slice(at, at + 1000), Quiet: true },
      }),
    );
    const failed = out.Errors?.[0];
    if (failed)
      throw Object.assign(new Error(`${failed.Key ?? '?'}: ${failed.Code ?? ''} ${failed.Message ?? ''}`), {
        name: failed.Code ?? 'DeleteFailed',
      });
  }
}
