import { StoreError } from '../../errors/index.js';

/** What the SDK's errors carry that dbfork reads: the service's error name and HTTP status. */
interface ServiceErrorShape {
  readonly name?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly $retryable?: unknown;
}

const HINTS: Readonly<Record<string, string>> = {
  AccessDenied:
    'the credentials may not use this bucket or prefix: check the IAM policy (s3:PutObject, s3:GetObject, s3:ListBucket, s3:DeleteObject, s3:AbortMultipartUpload, s3:GetBucketVersioning; on a versioned bucket s3:ListBucketVersions and s3:DeleteObjectVersion)',
  NoSuchBucket: 'the bucket does not exist in this account and region',
  InvalidAccessKeyId: 'the access key is not known: check AWS_ACCESS_KEY_ID or the profile',
  SignatureDoesNotMatch: 'the secret key does not match the access key',
  KMS: 'the KMS key cannot be used with these credentials: check kms:GenerateDataKey and kms:Decrypt',
};

/** The HTTP status of an SDK error, or undefined for network errors. */
export function statusOf(error: unknown): number | undefined {
  return (error as ServiceErrorShape | null)?.$metadata?.httpStatusCode;
}

/** The service's error name (`NoSuchKey`, `PreconditionFailed`, …). */
export function nameOf(error: unknown): string {
  return (error as ServiceErrorShape | null)?.name ?? '';
}

/**
 * An S3 failure as a StoreError, with the SDK error as its cause and the `retryable` label for
 * throttling, 5xx answers and network errors (the SDK already retried them with its own backoff).
 */
export function s3Failure(code: string, message: string, key: string, error: unknown): StoreError {
  const name = nameOf(error);
  const status = statusOf(error);
  const retryable = status === undefined || status >= 500 || status === 429 || name === 'SlowDown';
  const hint = HINTS[name] ?? (name.startsWith('KMS') ? HINTS.KMS : undefined);
  return new StoreError(
    code,
    `${message}: ${name || (error as Error).message}${status ? ` (HTTP ${status})` : ''}`,
    {
      subject: { key },
      cause: error,
      ...(hint ? { hint } : {}),
      ...(retryable ? { labels: ['retryable'] } : {}),
    },
  );
}
