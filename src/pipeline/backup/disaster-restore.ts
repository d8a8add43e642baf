import type { Clock } from '../../core/clock.js';
import { NO_PROGRESS, type ProgressListener } from '../../core/progress.js';
import { scrub, stripUriCredentials } from '../../core/redact.js';
import { InternalError, isDbforkError, type DbforkError } from '../../errors/index.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import { newRunId } from '../../restore/swap-names.js';
import {
  appendAuditRecord,
  detectActor,
  newAuditId,
  type AuditActor,
  type AuditRecord,
} from '../../store/audit-log.js';
import { openObjectStore } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateDisasterRecoveryGuard } from '../../target/guard/disaster-recovery-guard.js';
import type { GuardVerdict } from '../../target/guard/target-guard.js';
import { countCollections, restoreBackupDatabase } from './restore-backup-database.js';
import { drRequest, prepareDisasterRestore } from './prepare-disaster-restore.js';
import { formatBackupRef, type BackupRef } from './resolve-backup.js';

export { prepareDisasterRestore, type PreparedDisasterRestore } from './prepare-disaster-restore.js';

export interface DisasterRestoreOptions {
  /** Backup store URL. */
  readonly store: string;
  readonly backup: BackupRef;
  /** Target connection string (production). */
  readonly targetUri: string;
  /**
   * The database to restore into. A single-database backup restores into it; a whole-server backup
   * restores only this database of it (same name), or, when null, every database it holds, each
   * into the database of its name.
   */
  readonly db: string | null;
  readonly disasterRecovery: boolean;
  /** Every `--confirm` value. */
  readonly confirmations: readonly string[];
  /** Ask for the database name at a terminal; null when there is none (CI). */
  readonly askAtTerminal: ((db: string) => Promise<string>) | null;
  readonly drop: boolean;
  /** age identities (`AGE-SECRET-KEY-1…`) to decrypt the backup. */
  readonly identities: readonly string[];
  readonly strictIndexes?: boolean;
  readonly exactCount?: boolean;
  readonly parallelCollections?: number;
  readonly insertWorkers?: number;
  /** Who acts (default: from the environment, see `detectActor`). */
  readonly actor?: AuditActor;
  readonly now?: Clock;
  readonly onProgress?: ProgressListener;
}

/** One database of a disaster-recovery restore. */
export interface DisasterRestoreDatabase {
  /** The backup's database. */
  readonly from: string;
  /** The target database. */
  readonly db: string;
  readonly verdict: GuardVerdict;
  readonly result: RestoreResult | null;
}

export interface DisasterRestoreResult {
  /** `<name>@<id>` of the backup restored. */
  readonly snapshot: string;
  readonly runId: string;
  readonly databases: readonly DisasterRestoreDatabase[];
  /** Namespaces the backup left out (users a server did not expose), as its manifest says. */
  readonly skipped: readonly { readonly namespace: string; readonly reason: string }[];
  /** Keys of the audit records written. */
  readonly audit: readonly string[];
  readonly error?: DbforkError;
}

/**
 * Disaster recovery: restore an encrypted backup into a protected (production) database, the one
 * path past the target guard's protected-name and source rules. Before anything is written, for
 * every target database, the disaster-recovery guard (`evaluateDisasterRecoveryGuard`) must allow:
 * `--disaster-recovery`, an encrypted backup, the confirmations (`--confirm <db>` plus the name
 * typed at a terminal, or `--confirm <db>` twice without one), and an empty database unless
 * `--drop`. A refusal throws and writes nothing, anywhere. Then an audit record (`started`) goes
 * into the store, each database is restored with the restore engine (loaded aside, verified, then
 * swapped in: a wrong identity or tampered data fails before the swap, the target as it was), and
 * a second audit record gives the outcome.
 *
 * @returns per database, the verdict and the engine's result; `error` when a restore failed
 * @throws PolicyError from the guard (`DR_NOT_REQUESTED`, `DR_UNENCRYPTED_BACKUP`, `DR_NOT_CONFIRMED`,
 *   `DR_TARGET_NOT_EMPTY`, `TARGET_PROTECTED`, `TARGET_NAME_INVALID`); UsageError `DR_DATABASE_NOT_IN_BACKUP`;
 *   StoreError `SNAPSHOT_NOT_FOUND`; TargetError `TARGET_UNREACHABLE`
 */
export async function disasterRestore(options: DisasterRestoreOptions): Promise<DisasterRestoreResult> {
  const now = options.now ?? (() => new Date());
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const objects = await openObjectStore(options.store);
  const prepared = await prepareDisasterRestore(objects, options);
  const { snapshot, pairs } = prepared;
  const m = snapshot.manifest;
  // the rules that need no prompt and no connection first: a refusal asks nothing, writes nothing
  for (const { db, verdict } of prepared.pairs) assertTargetAllowed(verdict, db);
  const verdicts = new Map<string, GuardVerdict>();
  for (const { db } of pairs) {
    const typed = options.askAtTerminal ? await options.askAtTerminal(db) : null;
    const existingCollections = await countCollections(options.targetUri, db);
    const verdict = evaluateDisasterRecoveryGuard({
      ...drRequest(options, m, db),
      typed,
      existingCollections,
      drop: options.drop,
    });
    assertTargetAllowed(verdict, db);
    verdicts.set(db, verdict);
  }

  const runId = newRunId();
  const actor = options.actor ?? detectActor();
  const audit: string[] = [];
  const record = (outcome: AuditRecord['outcome'], extra: Partial<AuditRecord> = {}): Promise<string> => {
    const at = now();
    return appendAuditRecord(objects, {
      schemaVersion: 1,
      id: newAuditId(at),
      at: at.toISOString(),
      action: 'backup.restore',
      runId,
      outcome,
      actor,
      source: {
        store: objects.url,
        snapshot: `${m.name}@${m.id}`,
        ref: formatBackupRef(options.backup),
        uri: m.source.uri,
      },
      target: {
        uri: stripUriCredentials(options.targetUri),
        databases: pairs.map((p) => p.db),
        drop: options.drop,
      },
      ...extra,
    });
  };
  audit.push(await record('started'));
  const databases: DisasterRestoreDatabase[] = [];
  let error: DbforkError | undefined;
  for (const { from, db } of pairs) {
    const verdict = verdicts.get(db) as GuardVerdict;
    if (error) {
      databases.push({ from, db, verdict, result: null });
      continue;
    }
    try {
      const result = await restoreBackupDatabase(options, snapshot, m, from, db, verdict, onProgress);
      databases.push({ from, db, verdict, result });
      if (result.error) error = result.error;
    } catch (thrown) {
      databases.push({ from, db, verdict, result: null });
      error = isDbforkError(thrown)
        ? thrown
        : new InternalError(thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
    }
  }
  audit.push(
    await record(error ? 'failed' : 'succeeded', {
      ...(error ? { error: { code: error.code, message: scrub(error.message) } } : {}),
      details: {
        databases: databases.map((d) => ({
          db: d.db,
          from: d.from,
          restored: d.result?.collections.filter((c) => c.status === 'restored').length ?? 0,
          documents: d.result?.collections.reduce((n, c) => n + c.documents, 0) ?? 0,
        })),
      },
    }),
  );
  return {
    snapshot: `${m.name}@${m.id}`,
    runId,
    databases,
    skipped: [
      ...(m.skipped ?? []),
      ...m.collections
        .filter((c) => c.namespace.startsWith('admin.'))
        .map((c) => ({
          namespace: c.namespace,
          reason:
            'users and roles are in the backup but not restored by dbfork: decrypt the archive (age -d) and restore them with mongorestore --nsInclude "admin.*"',
        })),
    ],
    audit,
    ...(error ? { error } : {}),
  };
}
