import { UsageError } from '../../errors/index.js';
import { ObjectSnapshotCatalog } from '../../store/object-snapshot-catalog.js';
import type { ObjectStore } from '../../store/object-store.js';
import type { ResolvedSnapshot } from '../../store/snapshot-catalog.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';
import {
  evaluateDisasterRecoveryGuard,
  type DisasterRecoveryRequest,
} from '../../target/guard/disaster-recovery-guard.js';
import type { GuardVerdict } from '../../target/guard/target-guard.js';
import type { DisasterRestoreOptions } from './disaster-restore.js';
import { resolveBackup } from './resolve-backup.js';

/** A disaster-recovery restore resolved and checked by the rules that need no prompt nor target. */
export interface PreparedDisasterRestore {
  readonly snapshot: ResolvedSnapshot;
  /** Per target database: the backup's database and the verdict of the prompt-free rules. */
  readonly pairs: readonly { readonly from: string; readonly db: string; readonly verdict: GuardVerdict }[];
}

/**
 * Resolve the backup, decide which databases go where, and judge each by the rules that need no
 * prompt and no connection (the typed name taken as given, the target as empty). Read-only: what
 * `--dry-run` shows and what decides whether to prompt at all.
 *
 * @throws StoreError `SNAPSHOT_NOT_FOUND`; UsageError `DR_DATABASE_NOT_IN_BACKUP`, `CONFIG_BAD_OPTION`
 */
export async function prepareDisasterRestore(
  objects: ObjectStore,
  options: Pick<
    DisasterRestoreOptions,
    'backup' | 'db' | 'targetUri' | 'disasterRecovery' | 'confirmations' | 'askAtTerminal' | 'now'
  >,
): Promise<PreparedDisasterRestore> {
  const catalog = new ObjectSnapshotCatalog(objects, options.now ? { now: options.now } : {});
  const snapshot = await resolveBackup(catalog, objects, options.backup);
  const m = snapshot.manifest;
  return {
    snapshot,
    pairs: databasesToRestore(m, options.db).map((p) => ({
      ...p,
      verdict: evaluateDisasterRecoveryGuard(drRequest(options, m, p.db)),
    })),
  };
}

export function drRequest(
  options: Pick<DisasterRestoreOptions, 'targetUri' | 'disasterRecovery' | 'confirmations' | 'askAtTerminal'>,
  m: SnapshotManifest,
  db: string,
): DisasterRecoveryRequest {
  return {
    target: { uri: options.targetUri, db },
    disasterRecovery: options.disasterRecovery,
    encrypted: m.codecs.includes('age'),
    confirmations: options.confirmations,
    typed: options.askAtTerminal ? db : null,
    existingCollections: null,
    drop: true,
  };
}

/** Which backup database goes into which target database. */
function databasesToRestore(m: SnapshotManifest, db: string | null): { from: string; db: string }[] {
  if (m.databases === undefined) {
    if (db === null)
      throw new UsageError(
        'CONFIG_BAD_OPTION',
        `backup ${m.name}@${m.id} holds one database (${m.source.db}): give --db`,
      );
    return [{ from: m.source.db, db }];
  }
  if (db === null) return m.databases.map((d) => ({ from: d, db: d }));
  if (!m.databases.includes(db))
    throw new UsageError(
      'DR_DATABASE_NOT_IN_BACKUP',
      `backup ${m.name}@${m.id} does not hold database ${db}`,
      {
        subject: { db },
        hint: `it holds: ${m.databases.join(', ')}`,
      },
    );
  return [{ from: db, db }];
}
