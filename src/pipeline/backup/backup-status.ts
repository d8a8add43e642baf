import type { Clock } from '../../core/clock.js';
import { lastBackupFailure } from '../../store/backup-failures.js';
import { listDailyMarkers } from '../../store/backup-markers.js';
import { ObjectSnapshotCatalog } from '../../store/object-snapshot-catalog.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';

/**
 * The health of one backup name, as data: what `backup status` prints, what `--json` emits and
 * what a metrics exporter turns into gauges (ages in ms, sizes in bytes, instants ISO 8601 UTC).
 */
export interface BackupStatus {
  readonly name: string;
  /** `ok`: the last success is within the threshold; `stale`: older; `never`: no complete backup. */
  readonly state: 'ok' | 'stale' | 'never';
  readonly lastSuccess: {
    /** `<name>@<id>`, what `latest` points at. */
    readonly snapshot: string;
    readonly completedAt: string;
    readonly ageMs: number;
    readonly sizeBytes: number;
    readonly durationMs: number;
    readonly databases: readonly string[];
    readonly collections: number;
    readonly documents: number;
    readonly encrypted: boolean;
  } | null;
  readonly lastFailure: {
    readonly failedAt: string;
    readonly ageMs: number;
    readonly attempts: number;
    readonly code: string;
    readonly message: string;
  } | null;
  /** Complete backups of the name. */
  readonly complete: number;
  /** The newest `daily/<date>` marker's day, or null. */
  readonly lastDaily: string | null;
}

/** Every backup name's status, with the threshold they were judged by. */
export interface BackupStatusReport {
  readonly store: string;
  readonly checkedAt: string;
  readonly maxAgeMs: number;
  /** True when every name is `ok`. */
  readonly healthy: boolean;
  readonly backups: readonly BackupStatus[];
}

/**
 * Look at the backups in a store: per name (one, or every name holding backup markers or failure
 * records), the last success (`latest`'s manifest), the last failure record, their ages against the
 * clock, and the verdict against `maxAgeMs`. Read-only.
 *
 * @throws StoreError when the store cannot be read
 */
export async function backupStatus(
  objects: ObjectStore,
  options: { readonly name?: string; readonly maxAgeMs: number; readonly now?: Clock },
): Promise<BackupStatusReport> {
  const now = (options.now ?? (() => new Date()))();
  const catalog = new ObjectSnapshotCatalog(objects, { now: () => now });
  const names = options.name !== undefined ? [options.name] : await backupNames(objects, catalog);
  const backups: BackupStatus[] = [];
  for (const name of names) {
    const complete = (await catalog.list(name)).filter((s) => s.manifest !== null);
    const latestId = await catalog.latest(name);
    const manifest = (complete.find((s) => s.id === latestId) ?? complete[0])?.manifest ?? null;
    const failure = await lastBackupFailure(objects, name);
    const days = await listDailyMarkers(objects, name);
    const success = manifest ? lastSuccess(manifest, now) : null;
    backups.push({
      name,
      state: success === null ? 'never' : success.ageMs > options.maxAgeMs ? 'stale' : 'ok',
      lastSuccess: success,
      lastFailure: failure && {
        failedAt: failure.failedAt,
        ageMs: now.getTime() - Date.parse(failure.failedAt),
        attempts: failure.attempts,
        code: failure.error.code,
        message: failure.error.message,
      },
      complete: complete.length,
      lastDaily: days.at(-1) ?? null,
    });
  }
  return {
    store: objects.url,
    checkedAt: now.toISOString(),
    maxAgeMs: options.maxAgeMs,
    healthy: backups.length > 0 && backups.every((b) => b.state === 'ok'),
    backups,
  };
}

function lastSuccess(m: SnapshotManifest, now: Date): NonNullable<BackupStatus['lastSuccess']> {
  return {
    snapshot: `${m.name}@${m.id}`,
    completedAt: m.completedAt,
    ageMs: now.getTime() - Date.parse(m.completedAt),
    sizeBytes: m.sizeBytes,
    durationMs: m.durationMs,
    databases: m.databases ?? [m.source.db],
    collections: m.collections.length,
    documents: m.collections.reduce((n, c) => n + c.documents, 0),
    encrypted: m.codecs.includes('age'),
  };
}

/** Names that hold backup objects (daily markers or failure records): those `backup run` wrote. */
async function backupNames(objects: ObjectStore, catalog: ObjectSnapshotCatalog): Promise<string[]> {
  const out: string[] = [];
  for (const name of await catalog.names()) {
    const { prefixes } = await objects.list(`${name}/`, { delimiter: '/' });
    if (prefixes.some((p) => p === `${name}/daily/` || p === `${name}/failures/`)) out.push(name);
  }
  return out;
}
