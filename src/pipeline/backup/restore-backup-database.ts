import { isDbforkBookkeeping } from '../../core/own-collections.js';
import type { ProgressListener } from '../../core/progress.js';
import { MongoDbTarget } from '../../mongodb/mongodb-target.js';
import { restoreDump } from '../../restore/restore-engine.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import type { ResolvedSnapshot } from '../../store/snapshot-catalog.js';
import type { SnapshotManifest } from '../../store/snapshot-manifest.js';
import { onlyDatabase } from '../../streams/only-database.js';
import type { GuardVerdict } from '../../target/guard/target-guard.js';
import { readSnapshotData } from '../read-snapshot-data.js';
import type { DisasterRestoreOptions } from './disaster-restore.js';

/** Collections of the target db that are data: neither `system.*` nor dbfork's own. */
export async function countCollections(uri: string, db: string): Promise<number> {
  const target = await MongoDbTarget.connect(uri, db);
  try {
    return (await target.listCollections()).filter((n) => !n.startsWith('system.') && !isDbforkBookkeeping(n))
      .length;
  } finally {
    await target.close();
  }
}

/** Restore one database of a backup into `db` with the restore engine, under the given verdict. */
export async function restoreBackupDatabase(
  options: DisasterRestoreOptions,
  snapshot: ResolvedSnapshot,
  m: SnapshotManifest,
  from: string,
  db: string,
  verdict: GuardVerdict,
  onProgress: ProgressListener,
): Promise<RestoreResult> {
  const target = await MongoDbTarget.connect(options.targetUri, db);
  try {
    // no live guard check: it refuses connections that can write to protected databases, and
    // writing to one is what disaster recovery does; the verdict above was given for this target
    return await restoreDump({
      target,
      targetDb: db,
      guard: verdict,
      events: onlyDatabase(readSnapshotData(snapshot, { identities: options.identities }), from),
      expected: { collections: m.collections.filter((c) => c.namespace.startsWith(`${from}.`)) },
      provenance: {
        snapshotId: `${m.name}@${m.id}`,
        source: { uri: m.source.uri, db: from },
        takenAt: new Date(m.createdAt),
        rulesDigest: null,
        anonymized: 'none',
        anonymization: null,
      },
      strictIndexes: options.strictIndexes ?? false,
      exactCount: options.exactCount ?? false,
      parallelCollections: options.parallelCollections ?? 4,
      insertWorkers: options.insertWorkers ?? 4,
      onProgress,
    });
  } finally {
    await target.close();
  }
}
