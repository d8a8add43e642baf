import type { Bucket } from '@google-cloud/storage';
import type { BucketLocation } from '../bucket-url.js';
import { verdictOf, type StoreCheckReport, type Unavailable } from '../exposure/store-check-report.js';
import { gcsPublicGrants, type GcsAclEntry, type GcsIamPolicy } from './gcs-iam-exposure.js';

const UNREAD = Symbol('unread');

/**
 * Read a GCS bucket's access configuration and judge whether it is publicly readable: its metadata
 * (public access prevention, uniform bucket-level access, versioning, default KMS key), its IAM
 * policy, its ACL and default object ACL ({@link gcsPublicGrants}). Reads only. IAM bindings apply to
 * the whole bucket, so the store's prefix does not narrow them.
 *
 * @returns the report; a call the server refuses or does not implement (fake-gcs-server has no
 *   bucket IAM) is listed as unavailable and makes the verdict `unknown`, never `private`
 */
export async function checkGcsBucket(
  bucket: Bucket,
  location: BucketLocation,
  url: string,
): Promise<StoreCheckReport> {
  const unavailable: Unavailable[] = [];
  const read = async <T>(what: string, call: () => Promise<T>): Promise<T | typeof UNREAD> => {
    try {
      return await call();
    } catch (error) {
      const status = (error as { code?: unknown }).code;
      unavailable.push({
        what,
        reason: `${typeof status === 'number' ? `HTTP ${status}: ` : ''}${(error as Error).message.split('\n')[0] ?? ''}`,
      });
      return UNREAD;
    }
  };
  const meta = await read('bucket metadata', async () => (await bucket.getMetadata())[0]);
  const iam = await read(
    'bucket IAM policy',
    async () => (await bucket.iam.getPolicy({ requestedPolicyVersion: 3 }))[0] as GcsIamPolicy,
  );
  const acl = await read('bucket ACL', async () => (await bucket.acl.get())[0] as unknown as GcsAclEntry[]);
  const defaultAcl = await read(
    'default object ACL',
    async () => (await bucket.acl.default.get())[0] as unknown as GcsAclEntry[],
  );
  const m = meta === UNREAD ? {} : meta;
  const settings = {
    ...(m.iamConfiguration?.publicAccessPrevention
      ? { publicAccessPrevention: m.iamConfiguration.publicAccessPrevention }
      : {}),
    uniformAccess: m.iamConfiguration?.uniformBucketLevelAccess?.enabled === true,
  };
  const findings = gcsPublicGrants(
    settings,
    iam === UNREAD ? null : iam,
    acl === UNREAD ? [] : [acl].flat(),
    defaultAcl === UNREAD ? [] : [defaultAcl].flat(),
  );
  const kms = m.encryption?.defaultKmsKeyName;
  return {
    store: url,
    provider: 'gcs',
    bucket: location.bucket,
    prefix: location.prefix,
    verdict: verdictOf(findings, unavailable.length > 0),
    findings,
    protections: {
      publicAccessPrevention: meta === UNREAD ? 'unknown' : (settings.publicAccessPrevention ?? 'inherited'),
      uniformBucketLevelAccess: settings.uniformAccess,
    },
    versioning: meta === UNREAD ? 'unknown' : m.versioning?.enabled ? 'enabled' : 'disabled',
    encryption: meta === UNREAD ? 'unknown' : kms ? `CMEK ${kms}` : 'Google-managed',
    unavailable,
  };
}
