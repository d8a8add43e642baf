import { Gauge, Registry } from 'prom-client';

/** What the backup metrics read of one backup's status (ages in ms, sizes in bytes, ISO 8601 times). */
export interface BackupStatusFigures {
  readonly name: string;
  readonly state: 'ok' | 'stale' | 'never';
  readonly lastSuccess: {
    readonly completedAt: string;
    readonly ageMs: number;
    readonly sizeBytes: number;
    readonly documents: number;
  } | null;
  readonly lastFailure: { readonly failedAt: string } | null;
}

/** The backup metric names, after the Prometheus naming conventions; docs/operations.md lists them. */
export const BACKUP_METRIC_NAMES = {
  healthy: 'dbfork_backup_healthy',
  lastSuccess: 'dbfork_backup_last_success_timestamp_seconds',
  age: 'dbfork_backup_last_success_age_seconds',
  size: 'dbfork_backup_last_success_bytes',
  documents: 'dbfork_backup_last_success_documents',
  lastFailure: 'dbfork_backup_last_failure_timestamp_seconds',
  maxAge: 'dbfork_backup_max_age_seconds',
} as const;

/**
 * The Prometheus text exposition of a backup status check: per backup (label `backup`, its name — a
 * bounded set, never a snapshot id or timestamp) whether it is healthy (1/0), its last success as unix
 * seconds, that success's age (seconds), size (bytes) and documents, its last failure (unix seconds),
 * and the threshold the check used. A backup that never succeeded has `healthy 0` and no success series,
 * so an alert on `dbfork_backup_healthy == 0` covers both stale and missing backups.
 */
export async function renderBackupStatusMetrics(
  backups: readonly BackupStatusFigures[],
  maxAgeMs: number,
): Promise<string> {
  const registry = new Registry();
  const gauge = (name: string, help: string, labelNames: readonly string[] = ['backup']) =>
    new Gauge({ name, help, labelNames, registers: [registry] });
  const healthy = gauge(
    BACKUP_METRIC_NAMES.healthy,
    'Whether the backup last succeeded within the threshold (1) or not (0).',
  );
  const success = gauge(BACKUP_METRIC_NAMES.lastSuccess, 'When the backup last succeeded, in unix seconds.');
  const age = gauge(BACKUP_METRIC_NAMES.age, 'Age of the last successful backup, in seconds.');
  const size = gauge(BACKUP_METRIC_NAMES.size, 'Stored size of the last successful backup, in bytes.');
  const documents = gauge(BACKUP_METRIC_NAMES.documents, 'Documents in the last successful backup.');
  const failure = gauge(BACKUP_METRIC_NAMES.lastFailure, 'When the backup last failed, in unix seconds.');
  gauge(BACKUP_METRIC_NAMES.maxAge, 'The age past which a backup is stale, in seconds.', []).set(
    maxAgeMs / 1000,
  );
  for (const b of backups) {
    const labels = { backup: b.name };
    healthy.set(labels, b.state === 'ok' ? 1 : 0);
    if (b.lastSuccess) {
      success.set(labels, Date.parse(b.lastSuccess.completedAt) / 1000);
      age.set(labels, b.lastSuccess.ageMs / 1000);
      size.set(labels, b.lastSuccess.sizeBytes);
      documents.set(labels, b.lastSuccess.documents);
    }
    if (b.lastFailure) failure.set(labels, Date.parse(b.lastFailure.failedAt) / 1000);
  }
  return registry.metrics();
}
