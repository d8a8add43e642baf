import type { RetentionPolicy } from '../retention.js';
import type { LifecycleSettings } from './lifecycle-rules.js';

/**
 * What a reader of printed lifecycle rules must know: which parts of the retention only
 * `dbfork snapshot prune` can do (keep the newest of each day, week or month, keep the N newest,
 * never prune `latest`: bucket rules see objects and ages, not snapshots), what an age rule risks,
 * and how to apply the rules. One sentence each. Pure.
 */
export function lifecycleNotes(
  format: 's3' | 'gcs',
  store: { readonly url: string; readonly bucket: string },
  policy: RetentionPolicy,
  settings: LifecycleSettings,
): string[] {
  const kept = [
    policy.last ? `keep-last ${policy.last}` : '',
    policy.daily ? `keep-daily ${policy.daily}` : '',
    policy.weekly ? `keep-weekly ${policy.weekly}` : '',
    policy.monthly ? `keep-monthly ${policy.monthly}` : '',
  ].filter(Boolean);
  const notes = [
    kept.length > 0
      ? `stays with \`dbfork snapshot prune\` (bucket rules see objects and ages, not snapshots): ${kept.join(', ')}, and latest is never pruned; run \`dbfork snapshot prune --${kept.join(' --')} --store ${store.url}\` on a schedule`
      : 'stays with `dbfork snapshot prune` (bucket rules see objects and ages, not snapshots): keep-last / keep-daily / keep-weekly / keep-monthly, and latest is never pruned',
    `noncurrent versions (earlier values of each latest pointer, deleted leases, anything overwritten or deleted by hand) go ${settings.noncurrentDays} day(s) after they stop being current; prune itself deletes every version of the snapshots it removes`,
  ];
  if (settings.expireDays !== undefined)
    notes.push(
      `the age rule deletes whatever is older than ${settings.expireDays} days under the prefix, latest included (on a versioned bucket they become noncurrent first): if snapshots stop being taken for that long, none is left, which prune never does`,
    );
  if (format === 'gcs')
    notes.push(
      'dbfork writes to GCS by resumable uploads, which are not multipart uploads: GCS discards an unfinished resumable session after a week by itself',
    );
  notes.push(
    format === 's3'
      ? `apply: aws s3api put-bucket-lifecycle-configuration --bucket ${store.bucket} --lifecycle-configuration file://rules.json (it replaces the bucket's whole lifecycle configuration: merge these rules with any it has)`
      : `apply: gsutil lifecycle set rules.json gs://${store.bucket} (or gcloud storage buckets update gs://${store.bucket} --lifecycle-file=rules.json; it replaces the bucket's whole lifecycle configuration: merge these rules with any it has)`,
  );
  return notes;
}
