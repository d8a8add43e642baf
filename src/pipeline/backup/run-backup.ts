import type { Clock } from '../../core/clock.js';
import { NO_PROGRESS, type ProgressListener } from '../../core/progress.js';
import { scrub, stripUriCredentials } from '../../core/redact.js';
import { withRetry } from '../../core/retry.js';
import { InternalError, isDbforkError, PolicyError } from '../../errors/index.js';
import { recordBackupFailure } from '../../store/backup-failures.js';
import { utcDay, writeDailyMarker, type DailyMarker } from '../../store/backup-markers.js';
import { ObjectSnapshotCatalog } from '../../store/object-snapshot-catalog.js';
import { openObjectStore } from '../../store/open-snapshot-store.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';
import { createSnapshot } from '../create-snapshot.js';
import { isRetryableBackupError } from './backup-retry.js';

export interface RunBackupOptions {
  /** Source connection string. */
  readonly uri: string;
  /** The database to back up; null with {@link allDatabases}. */
  readonly db: string | null;
  /** Every database of the server, as mongodump without `--db`. */
  readonly allDatabases: boolean;
  /** Backup (snapshot) name. */
  readonly name: string;
  /** Store URL (`file://`, `s3://`, `gs://`). */
  readonly store: string;
  /** age recipients (`age1…`): at least one; the data is always encrypted to them. */
  readonly recipients: readonly string[];
  readonly gzip: boolean;
  /** Namespace globs (whole-server backups: `db.coll` patterns). */
  readonly include?: readonly string[];
  readonly exclude?: readonly string[];
  /** Retries after the first attempt, for transient errors (default 2). */
  readonly retries?: number;
  /** First backoff in ms (default 1000), doubling with jitter up to {@link maxDelayMs}. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms (default 30 000). */
  readonly maxDelayMs?: number;
  readonly now?: Clock;
  readonly onProgress?: ProgressListener;
}

/** What a successful backup run stored. */
export interface BackupRunResult {
  /** `<name>@<id>`. */
  readonly snapshot: string;
  readonly manifest: SnapshotManifest;
  /** The `<name>/daily/<date>` marker written after the manifest. */
  readonly daily: DailyMarker;
  readonly attempts: number;
}

/**
 * One backup: a raw, encrypted snapshot of a database (or of the whole server) under
 * `<name>/<id>/`, manifest last, then `<name>/latest` (the catalogue moves it on commit) and the
 * day's `<name>/daily/<YYYY-MM-DD>` marker. A transient failure (see {@link isRetryableBackupError})
 * is retried with exponential backoff; each failed attempt leaves no complete snapshot. When the run
 * gives up, a failure record goes into the store (`<name>/failures/…`) for `backup status`, and the
 * error is thrown. Backups are never anonymized: they are for disaster recovery.
 *
 * @throws PolicyError `BACKUP_RECIPIENT_REQUIRED` without a recipient (nothing read or written);
 *   SourceError, StoreError, ArchiveError from the capture, after the retries
 */
export async function runBackup(options: RunBackupOptions): Promise<BackupRunResult> {
  if (options.recipients.length === 0) throw recipientRequired();
  if (!options.allDatabases && !options.db)
    throw new InternalError('a backup needs a database or allDatabases');
  const now = options.now ?? (() => new Date());
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const objects = await openObjectStore(options.store);
  const catalog = new ObjectSnapshotCatalog(objects, { now });
  const startedAt = now();
  let attempts = 0;
  try {
    const manifest = await withRetry(
      () => {
        attempts++;
        return createSnapshot({
          uri: options.uri,
          db: options.db ?? '',
          allDatabases: options.allDatabases,
          name: options.name,
          store: catalog,
          format: 'archive',
          gzip: options.gzip,
          encryption: { recipients: options.recipients },
          include: options.include ?? [],
          exclude: options.exclude ?? [],
          now,
          onProgress,
        });
      },
      {
        attempts: (options.retries ?? 2) + 1,
        baseDelayMs: options.baseDelayMs ?? 1000,
        maxDelayMs: options.maxDelayMs ?? 30_000,
        isRetryable: isRetryableBackupError,
        onRetry: (error, attempt, delayMs) =>
          onProgress({ type: 'retry', namespace: options.name, attempt, delayMs, reason: errorText(error) }),
      },
    );
    const daily = await writeDailyMarker(objects, {
      name: manifest.name,
      id: manifest.id,
      date: utcDay(new Date(manifest.createdAt)),
      writtenAt: now().toISOString(),
    });
    return { snapshot: `${manifest.name}@${manifest.id}`, manifest, daily, attempts };
  } catch (error) {
    await recordBackupFailure(objects, {
      name: options.name,
      startedAt: startedAt.toISOString(),
      failedAt: now().toISOString(),
      attempts: Math.max(1, attempts),
      source: {
        uri: stripUriCredentials(options.uri),
        databases: options.db ? [options.db] : [],
        allDatabases: options.allDatabases,
      },
      error: {
        code: isDbforkError(error) ? error.code : 'INTERNAL',
        category: isDbforkError(error) ? error.category : 'internal',
        message: errorText(error),
      },
    }).catch((recordError: unknown) =>
      onProgress({
        type: 'warning',
        code: 'BACKUP_FAILURE_NOT_RECORDED',
        message: `the failure could not be recorded in the store: ${errorText(recordError)}`,
      }),
    );
    throw error;
  }
}

/** The refusal of a backup without a recipient: backups are always encrypted. */
export function recipientRequired(): PolicyError {
  return new PolicyError(
    'BACKUP_RECIPIENT_REQUIRED',
    'a backup is always encrypted, and no recipient is given',
    {
      hint: 'give --recipient age1… (make one with `dbfork keygen`; keep the identity offline)',
      labels: ['noWritesPerformed'],
    },
  );
}

function errorText(error: unknown): string {
  return scrub(error instanceof Error ? error.message : String(error));
}
