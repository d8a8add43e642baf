import { S3Client } from '@aws-sdk/client-s3';
import { UsageError } from '../../errors/index.js';
import { bucketOf } from '../bucket-url.js';
import { S3ObjectStore, type S3Encryption } from './s3-object-store.js';

/**
 * The S3 store of an `s3://bucket/prefix[?sse=AES256|aws:kms&kms-key-id=<id>]` URL. Credentials and
 * region come from the SDK's standard chain (environment, profile, SSO, instance or pod role), never
 * from the URL; `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` selects a custom endpoint (MinIO, moto,
 * a VPC endpoint), with path-style addressing.
 *
 * @throws UsageError `STORE_BAD_URL` for a URL without a bucket or with an unknown `sse`
 */
export function openS3Store(url: URL, env: NodeJS.ProcessEnv = process.env): S3ObjectStore {
  const { bucket, prefix } = bucketOf(url);
  return new S3ObjectStore({ client: s3Client(env), bucket, prefix, ...encryptionOf(url) });
}

/**
 * An S3 client from the SDK's standard chain; `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` selects a
 * custom endpoint with path-style addressing; the region defaults to us-east-1.
 */
export function s3Client(env: NodeJS.ProcessEnv = process.env): S3Client {
  const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
  // the SDK warns on Node 20 that its releases after January 2027 need Node 22; the locked version
  // supports Node 20, and a multi-line warning on stderr would break dbfork's one-line messages
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new S3Client({
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    ...(env.AWS_REGION || env.AWS_DEFAULT_REGION ? {} : { region: 'us-east-1' }),
  });
}

function encryptionOf(url: URL): { encryption?: S3Encryption } {
  const sse = url.searchParams.get('sse');
  if (sse === null) return {};
  if (sse === 'AES256') return { encryption: { mode: 'AES256' } };
  if (sse === 'aws:kms') {
    const kmsKeyId = url.searchParams.get('kms-key-id');
    return { encryption: { mode: 'aws:kms', ...(kmsKeyId ? { kmsKeyId } : {}) } };
  }
  throw new UsageError('STORE_BAD_URL', `unknown sse=${sse} in ${url.href}`, {
    hint: 'sse=AES256 (SSE-S3) or sse=aws:kms (SSE-KMS, optionally kms-key-id=<key>)',
  });
}
