import type { Db, Document } from 'mongodb';
import { TargetError } from '../errors/index.js';
import { ownerMayBeAlive, RestoreJournal } from './restore-journal.js';
import { SNAPSHOT_METADATA_COLLECTION, WORK_PREFIX } from './swap-names.js';
import { rollBackCollection, swapCollection, type SwapOps, type SwapStrategy } from './swap-collection.js';

/**
 * Finish or undo what interrupted restores left in a target db, before a new run writes anything:
 * - a run in phase `swapping` (all its data verified) is rolled forward: every swap is completed and
 *   its snapshot_metadata written;
 * - a run in phase `loading` is rolled back: its temporaries are dropped;
 * - temporaries (`__dbfork_tmp_…`) no journal names are dropped.
 * Every step is idempotent, so a crash during recovery is recovered by the next run.
 *
 * @returns one line per action taken, for the result and the logs
 * @throws TargetError `TARGET_BUSY` when another restore into this db may still be running
 */
export async function recoverTarget(db: Db, ops: SwapOps, strategy: SwapStrategy): Promise<string[]> {
  const journal = new RestoreJournal(db);
  const runs = await journal.list();
  const actions: string[] = [];
  const live = runs.find((r) => ownerMayBeAlive(r));
  if (live) {
    throw new TargetError(
      'TARGET_BUSY',
      `another restore (run ${live._id}, pid ${live.owner.pid} on ${live.owner.host}) is writing ${db.databaseName}`,
      {
        hint: 'wait for it to finish; a crashed run is taken over once its heartbeat is a minute old',
        subject: { db: db.databaseName, runId: live._id },
        labels: ['noWritesPerformed', 'retryable'],
      },
    );
  }
  for (const run of runs) {
    if (run.phase === 'swapping') {
      for (const entry of run.collections) await swapCollection(ops, entry, strategy);
      if (run.metadata) await writeSnapshotMetadata(db, run.metadata);
      actions.push(`run ${run._id}: rolled forward the swap of ${run.collections.length} collection(s)`);
    } else {
      for (const entry of run.collections) await rollBackCollection(ops, entry);
      actions.push(`run ${run._id}: rolled back (dropped its temporary collections)`);
    }
    await journal.finish(run._id);
  }
  const names = await db.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of names) {
    if (name.startsWith(`${WORK_PREFIX}tmp_`)) {
      await db.command({ drop: name });
      actions.push(`dropped orphan temporary ${name}`);
    }
  }
  return actions;
}

/** Replace the target's `{_id: 'latest'}` record. */
export async function writeSnapshotMetadata(db: Db, metadata: Document): Promise<void> {
  await db
    .collection(SNAPSHOT_METADATA_COLLECTION)
    .replaceOne({ _id: 'latest' as never }, metadata, { upsert: true, writeConcern: { w: 'majority' } });
}
