import type { RetentionPolicy } from '../retention.js';

/** The parts of a store's retention that bucket lifecycle rules can carry, in whole days. */
export interface LifecycleSettings {
  /** The store's key prefix in the bucket, without leading or trailing `/` (`""`: the whole bucket). */
  readonly prefix: string;
  /** Abort multipart uploads (S3) started this many days ago and never completed. */
  readonly abortIncompleteDays: number;
  /** Delete object versions this many days after they stopped being current (and, on S3, lone delete markers). */
  readonly noncurrentDays: number;
  /** Delete every object under the prefix this many days after it was written; absent: no such rule. */
  readonly expireDays?: number;
}

/**
 * An S3 lifecycle configuration, as `PutBucketLifecycleConfiguration` takes it (the body of
 * `aws s3api put-bucket-lifecycle-configuration --lifecycle-configuration file://…`):
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutBucketLifecycleConfiguration.html
 */
export interface S3LifecycleConfiguration {
  readonly Rules: readonly Record<string, unknown>[];
}

/**
 * A GCS lifecycle configuration, as `gsutil lifecycle set <file> gs://bucket` and `gcloud storage
 * buckets update --lifecycle-file` take it: https://cloud.google.com/storage/docs/gsutil/commands/lifecycle
 */
export interface GcsLifecycleConfiguration {
  readonly rule: readonly Record<string, unknown>[];
}

/**
 * The S3 rules of a store, each scoped to its prefix by `Filter.Prefix`: abort incomplete multipart
 * uploads; expire noncurrent versions and remove delete markers with no version left; optionally
 * expire current objects by age. Pure.
 */
export function s3LifecycleRules(settings: LifecycleSettings): S3LifecycleConfiguration {
  const filter = { Prefix: scope(settings.prefix) };
  const id = (what: string): string => `dbfork/${settings.prefix}/${what}`;
  const rules: Record<string, unknown>[] = [
    {
      ID: id('abort-incomplete-uploads'),
      Filter: filter,
      Status: 'Enabled',
      AbortIncompleteMultipartUpload: { DaysAfterInitiation: settings.abortIncompleteDays },
    },
    {
      ID: id('noncurrent-versions'),
      Filter: filter,
      Status: 'Enabled',
      NoncurrentVersionExpiration: { NoncurrentDays: settings.noncurrentDays },
      Expiration: { ExpiredObjectDeleteMarker: true },
    },
  ];
  if (settings.expireDays !== undefined)
    rules.push({
      ID: id('expire-by-age'),
      Filter: filter,
      Status: 'Enabled',
      Expiration: { Days: settings.expireDays },
    });
  return { Rules: rules };
}

/**
 * The GCS rules of a store, each scoped to its prefix by `condition.matchesPrefix` (omitted for the
 * whole bucket): abort incomplete XML API multipart uploads, delete noncurrent versions
 * (`daysSinceNoncurrentTime`), optionally delete live objects by `age`. Pure.
 * Format: https://cloud.google.com/storage/docs/lifecycle-configurations
 */
export function gcsLifecycleRules(settings: LifecycleSettings): GcsLifecycleConfiguration {
  const prefix = settings.prefix ? { matchesPrefix: [scope(settings.prefix)] } : {};
  const rule: Record<string, unknown>[] = [
    {
      action: { type: 'AbortIncompleteMultipartUpload' },
      condition: { age: settings.abortIncompleteDays, ...prefix },
    },
    {
      action: { type: 'Delete' },
      condition: { daysSinceNoncurrentTime: settings.noncurrentDays, isLive: false, ...prefix },
    },
  ];
  if (settings.expireDays !== undefined)
    rule.push({
      action: { type: 'Delete' },
      condition: { age: settings.expireDays, isLive: true, ...prefix },
    });
  return { rule };
}

/**
 * The fewest days an age rule may wait without deleting a snapshot the policy keeps, as long as at
 * least one snapshot a day is taken: a day per `last` and per daily, 7 per weekly, 31 per monthly,
 * the largest of these plus one; null for an empty policy. Pure.
 */
export function minimumExpiryDays(policy: RetentionPolicy): number | null {
  const horizon = Math.max(
    policy.last ?? 0,
    policy.daily ?? 0,
    7 * (policy.weekly ?? 0),
    31 * (policy.monthly ?? 0),
  );
  return horizon === 0 ? null : horizon + 1;
}

/** The bucket-side scope of a store's keys: `prefix/`, or `""` for the whole bucket. */
function scope(prefix: string): string {
  return prefix ? `${prefix}/` : '';
}
