import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetObjectAclCommand,
  GetPublicAccessBlockCommand,
  ListObjectsV2Command,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { BucketLocation } from '../bucket-url.js';
import {
  verdictOf,
  type ExposureFinding,
  type StoreCheckReport,
  type Unavailable,
} from '../exposure/store-check-report.js';
import { publicAclGrants } from './s3-acl-exposure.js';
import { nameOf } from './s3-failure.js';
import { publicPolicyGrants } from './s3-policy-exposure.js';

/** At most this many object ACLs are read (the first objects under the prefix, in key order). */
const OBJECT_ACLS = 100;

const UNREAD = Symbol('unread');

/** Service answers that mean "not configured", per call. */
const ABSENT = new Set([
  'NoSuchPublicAccessBlockConfiguration',
  'NoSuchBucketPolicy',
  'OwnershipControlsNotFoundError',
  'ServerSideEncryptionConfigurationNotFoundError',
]);

/**
 * Read an S3 bucket's access configuration and judge whether the store's prefix is publicly
 * readable: the bucket's public access block, its policy ({@link publicPolicyGrants}), its ACL and
 * the ACLs of up to 100 objects under the prefix (unless ACLs are disabled or ignored), then
 * versioning and default encryption. Reads only. The account-level public access block (S3 Control)
 * is not read: it can only block more.
 *
 * @returns the report; a call S3 refuses (AccessDenied) is listed as unavailable, never taken as private
 */
export async function checkS3Bucket(
  client: S3Client,
  location: BucketLocation,
  url: string,
): Promise<StoreCheckReport> {
  const { bucket, prefix } = location;
  const unavailable: Unavailable[] = [];
  // null: not configured; UNREAD: the call failed (listed as unavailable)
  const read = async <T>(what: string, call: () => Promise<T>): Promise<T | null | typeof UNREAD> => {
    try {
      return (await call()) ?? null;
    } catch (error) {
      if (ABSENT.has(nameOf(error))) return null;
      unavailable.push({ what, reason: nameOf(error) || (error as Error).message });
      return UNREAD;
    }
  };
  const block = await read(
    'public access block',
    async () =>
      (await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }))).PublicAccessBlockConfiguration,
  );
  const policy = await read(
    'bucket policy',
    async () => (await client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy,
  );
  const ownership = await read(
    'object ownership',
    async () =>
      (await client.send(new GetBucketOwnershipControlsCommand({ Bucket: bucket }))).OwnershipControls
        ?.Rules?.[0]?.ObjectOwnership,
  );
  const aclsDisabled = ownership === 'BucketOwnerEnforced';
  const blocks = block === UNREAD || block === null ? {} : (block ?? {});
  const restrictPolicy = blocks.RestrictPublicBuckets === true;
  const ignoreAcls = blocks.IgnorePublicAcls === true;
  const findings: ExposureFinding[] = [];
  if (typeof policy === 'string')
    for (const f of publicPolicyGrants(policy, bucket, prefix))
      findings.push(restrictPolicy ? { ...f, effective: false, note: 'RestrictPublicBuckets blocks it' } : f);
  if (!aclsDisabled) {
    const aclFindings: ExposureFinding[] = [];
    const acl = await read(
      'bucket ACL',
      async () => (await client.send(new GetBucketAclCommand({ Bucket: bucket }))).Grants,
    );
    aclFindings.push(...publicAclGrants('bucket ACL', acl === UNREAD ? [] : (acl ?? [])));
    const keys = await read('object listing', async () =>
      (
        (
          await client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix ? `${prefix}/` : '',
              MaxKeys: OBJECT_ACLS,
            }),
          )
        ).Contents ?? []
      ).flatMap((o) => (o.Key ? [o.Key] : [])),
    );
    for (const key of keys === UNREAD ? [] : (keys ?? [])) {
      const grants = await read(
        `ACL of ${key}`,
        async () => (await client.send(new GetObjectAclCommand({ Bucket: bucket, Key: key }))).Grants,
      );
      aclFindings.push(...publicAclGrants(`object ACL of ${key}`, grants === UNREAD ? [] : (grants ?? [])));
    }
    for (const f of aclFindings)
      findings.push(ignoreAcls ? { ...f, effective: false, note: 'IgnorePublicAcls blocks it' } : f);
  }
  const versioning = await read(
    'versioning',
    async () => (await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status,
  );
  const encryption = await read('default encryption', async () => {
    const rule = (await client.send(new GetBucketEncryptionCommand({ Bucket: bucket })))
      .ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    return rule ? `${rule.SSEAlgorithm ?? '?'}${rule.KMSMasterKeyID ? ` ${rule.KMSMasterKeyID}` : ''}` : null;
  });
  const accessParts = new Set([
    'public access block',
    'bucket policy',
    'object ownership',
    'bucket ACL',
    'object listing',
  ]);
  const accessUnreadable = unavailable.some((u) => accessParts.has(u.what) || u.what.startsWith('ACL of '));
  return {
    store: url,
    provider: 's3',
    bucket,
    prefix,
    verdict: verdictOf(findings, accessUnreadable),
    findings,
    protections: {
      BlockPublicAcls: blocks.BlockPublicAcls === true,
      IgnorePublicAcls: ignoreAcls,
      BlockPublicPolicy: blocks.BlockPublicPolicy === true,
      RestrictPublicBuckets: restrictPolicy,
      ObjectOwnership: ownership === UNREAD ? 'unknown' : (ownership ?? 'ObjectWriter'),
    },
    versioning:
      versioning === UNREAD
        ? 'unknown'
        : versioning === 'Enabled'
          ? 'enabled'
          : versioning === 'Suspended'
            ? 'suspended'
            : 'disabled',
    encryption: encryption === UNREAD ? 'unknown' : (encryption ?? 'none'),
    unavailable,
  };
}
