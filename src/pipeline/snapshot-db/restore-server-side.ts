import { NO_PROGRESS, type ProgressListener } from '../../core/progress.js';
import { crashPoint } from '../../core/crash-point.js';
import { TargetError, UsageError, isDbforkError, type DbforkError } from '../../errors/index.js';
import { MongoDbTarget } from '../../mongodb/mongodb-target.js';
import { openCopySession, type RunnerWrapper } from '../../mongodb/snapshot-db/copy-session.js';
import { RestoreCommitter } from '../../restore/restore-committer.js';
import type { CollectionResult, RestoreResult } from '../../restore/restore-result.js';
import { buildSnapshotMetadata, type RestoreProvenance } from '../../restore/snapshot-metadata.js';
import { asideName, newRunId, tempName } from '../../restore/swap-names.js';
import { parseSnapshotRef } from '../../store/snapshot-ref.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard, type TargetGuardConfig } from '../../target/guard/target-guard.js';
import { normalizeIndexSpec, type IndexSpec } from '../../target/index-spec.js';
import type { JournalEntry } from '../../target/target-journal.js';
import type { SnapshotDbCatalog } from './snapshot-db-catalog.js';

export interface ServerSideRestoreOptions {
  readonly store: SnapshotDbCatalog;
  /** `name@id`: the generation the restore resolved (never `latest` again: it may move meanwhile). */
  readonly snapshotId: string;
  readonly uri: string;
  readonly targetDb: string;
  readonly guardConfig: TargetGuardConfig;
  readonly provenance: RestoreProvenance;
  readonly requireServerSide?: boolean;
  readonly onProgress?: ProgressListener;
  readonly wrapRunner?: RunnerWrapper;
}

/**
 * Restore a snapshot database's generation into a database of the same cluster without moving a
 * document through dbfork: the guard (pure rules, then the live privileges check) first; the run
 * journalled; per collection one `aggregate [{$out: {db: target, coll: __dbfork_tmp_…}}]` on the
 * generation's collection, its indexes from the manifest, a count checked against the manifest;
 * then the journal's commit point, the swaps and `snapshot_metadata` last (the restore engine's
 * committer). When it cannot run server-side (another cluster, no `$out`), says why in one `info`
 * event and returns null, so the caller streams.
 *
 * @returns the result, or null to stream
 * @throws PolicyError from the guard; UsageError `SERVER_SIDE_UNAVAILABLE` with `requireServerSide`
 */
export async function restoreServerSide(options: ServerSideRestoreOptions): Promise<RestoreResult | null> {
  const onProgress = options.onProgress ?? NO_PROGRESS;
  const verdict = evaluateTargetGuard({ uri: options.uri, db: options.targetDb }, options.guardConfig);
  assertTargetAllowed(verdict, options.targetDb);
  const snapshot = await options.store.resolve(parseSnapshotRef(options.snapshotId));
  const { manifest } = snapshot;
  const session = await openCopySession(options.store.database.uri, options.uri, options.wrapRunner);
  try {
    const why = !session.sameCluster.same
      ? `the target is not on the snapshot database's cluster (${session.sameCluster.why})`
      : session.outSupported !== true
        ? `the server does not run $out (${session.outEvidence})`
        : null;
    if (why !== null) {
      if (options.requireServerSide)
        throw new UsageError('SERVER_SIDE_UNAVAILABLE', `the restore cannot run server-side: ${why}`, {
          hint: 'drop --require-server-side to stream the documents through dbfork instead',
        });
      onProgress({
        type: 'info',
        code: 'STREAMING_FALLBACK',
        message: `streaming the documents through dbfork: ${why}`,
      });
      return null;
    }
    onProgress({
      type: 'info',
      code: 'SERVER_SIDE_COPY',
      message: `restoring server-side with $out on ${session.sameCluster.why}`,
    });
    return await copyAndSwap(options, session.run, manifest, onProgress);
  } finally {
    await session.close();
  }
}

async function copyAndSwap(
  options: ServerSideRestoreOptions,
  run: Awaited<ReturnType<typeof openCopySession>>['run'],
  manifest: Awaited<ReturnType<SnapshotDbCatalog['resolve']>>['manifest'],
  onProgress: ProgressListener,
): Promise<RestoreResult> {
  const started = Date.now();
  const runId = newRunId();
  const target = await MongoDbTarget.connect(options.uri, options.targetDb);
  const committer = new RestoreCommitter(target, runId, onProgress);
  const copies = manifest.collections.filter((c) => c.type !== 'view');
  const entries: JournalEntry[] = copies.map((c) => {
    const name = c.namespace.slice(c.namespace.indexOf('.') + 1);
    return { target: name, temp: tempName(runId, name), aside: asideName(runId, name) };
  });
  const results: CollectionResult[] = [];
  try {
    await target.checkLive({
      target: { uri: options.uri, db: options.targetDb },
      protectedDbs: options.guardConfig.protectedDbs ?? [],
      ...(options.guardConfig.source ? { source: options.guardConfig.source } : {}),
    });
    const { swapStrategy } = await target.capabilities();
    await committer.begin(entries);
    for (const [i, c] of copies.entries()) {
      const entry = entries[i] as JournalEntry;
      const t0 = Date.now();
      crashPoint('server-restore:collection');
      await run(
        manifest.name,
        {
          aggregate: options.store.collectionOf(manifest.id, entry.target),
          pipeline: [{ $out: { db: options.targetDb, coll: entry.temp } }],
          cursor: {},
        },
        'secondaryPreferred',
      );
      const indexes = c.indexes
        .map((x) => normalizeIndexSpec(x))
        .filter((s): s is IndexSpec => s !== undefined);
      const finished = await target.finish({
        temp: entry.temp,
        indexes,
        strictIndexes: false,
        displayNamespace: `${options.targetDb}.${entry.target}`,
        sentDocuments: c.documents,
        exactCount: true,
      });
      if (finished.serverDocuments !== c.documents)
        throw new TargetError(
          'TARGET_VERIFY_FAILED',
          `${entry.target}: the manifest says ${c.documents} documents, $out wrote ${finished.serverDocuments}`,
          {
            subject: { namespace: `${options.targetDb}.${entry.target}` },
          },
        );
      results.push({
        namespace: c.namespace,
        target: entry.target,
        status: 'restored',
        documents: finished.serverDocuments,
        bytes: c.bytes,
        durationMs: Date.now() - t0,
        verification: {
          ok: true,
          expectedDocuments: c.documents,
          actualDocuments: finished.serverDocuments,
          checksum: 'not-checked',
          checked: [],
          problems: [],
        },
        indexesBuilt: finished.built,
        indexesRejected: finished.rejected,
      });
    }
    const metadata = buildSnapshotMetadata(
      options.provenance,
      results.map((r) => ({ name: r.target, documents: r.documents, bytes: r.bytes })),
      new Date(),
    );
    await committer.commit(entries, metadata, swapStrategy);
    return {
      runId,
      targetDb: options.targetDb,
      swapStrategy,
      collections: results,
      recovered: [],
      warnings: [],
      metadata,
      durationMs: Date.now() - started,
    };
  } catch (error) {
    const warnings = committer.committed ? [] : await committer.rollBack(entries);
    const failure: DbforkError = isDbforkError(error)
      ? error
      : new TargetError(
          'TARGET_WRITE_FAILED',
          `the server-side restore failed: ${(error as Error).message}`,
          { cause: error },
        );
    return {
      runId,
      targetDb: options.targetDb,
      swapStrategy: 'rename-aside',
      collections: results.map((r) => ({ ...r, status: 'not-swapped' as const })),
      recovered: [],
      warnings,
      metadata: null,
      durationMs: Date.now() - started,
      error: failure,
    };
  } finally {
    committer.stop();
    await target.close();
  }
}
