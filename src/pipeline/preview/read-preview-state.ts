import { pullRequestOfDatabase } from '../../preview/database-name.js';
import type { PreviewDatabaseState } from '../../preview/preview-input.js';
import type { PreviewSettings } from '../../preview/preview-settings.js';
import type { PreviewDatabases } from '../../target/preview-databases.js';

/** A PR database as the decision sees it, and how many PR databases the server holds. */
export interface PreviewTargetState {
  readonly database: PreviewDatabaseState;
  /** Databases on the server whose name fits the PR database template. */
  readonly prDatabaseCount: number;
  /** Their names, sorted. */
  readonly prDatabases: readonly string[];
}

/** Read a PR database's records (lock, preview, last restore) and count the PR databases. Reads only. */
export async function readPreviewState(
  dbs: PreviewDatabases,
  settings: PreviewSettings,
  db: string,
): Promise<PreviewTargetState> {
  const records = await dbs.records(db);
  const prDatabases = (await dbs.listDatabases())
    .filter((n) => pullRequestOfDatabase(settings, n) !== null)
    .sort();
  const takenAt = records.preview?.takenAt ?? records.latest?.takenAt ?? null;
  return {
    database: {
      exists: records.exists,
      locked: records.lock !== null,
      source: records.preview?.source ?? (records.latest?.snapshotId ? 'snapshot' : null),
      snapshotId: records.preview?.snapshotId ?? records.latest?.snapshotId ?? null,
      takenAt: takenAt ? takenAt.toISOString() : null,
    },
    prDatabaseCount: prDatabases.length,
    prDatabases,
  };
}

/** The databases on the server whose name fits the PR database template, sorted. Reads only. */
export async function listPreviewDatabases(
  dbs: PreviewDatabases,
  settings: PreviewSettings,
): Promise<string[]> {
  return (await dbs.listDatabases()).filter((n) => pullRequestOfDatabase(settings, n) !== null).sort();
}
