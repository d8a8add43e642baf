import { TargetError } from '../errors/index.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import { ownerMayBeAlive, RestoreJournal, type JournalDoc } from './restore-journal.js';
import { WORK_PREFIX } from './swap-names.js';

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
export async function recoverTarget(target: SnapshotTarget, strategy: SwapStrategy): Promise<string[]> {
  const journal = new RestoreJournal(target.journal);
  const runs = await journal.list();
  const actions: string[] = [];
  const live = runs.find((r) => ownerMayBeAlive(r));
  if (live) throw targetBusy(live, target.db);
  for (const run of runs) {
    if (run.phase === 'swapping') {
      for (const entry of run.collections) await target.swap(entry, strategy);
      if (run.metadata) await target.writeMetadata(run.metadata);
      actions.push(`run ${run._id}: rolled forward the swap of ${run.collections.length} collection(s)`);
    } else {
      for (const entry of run.collections) await target.discard(entry);
      actions.push(`run ${run._id}: rolled back (dropped its temporary collections)`);
    }
    await journal.finish(run._id);
  }
  // collections first, journal second: a temporary listed here belongs to a run journaled before it
  // was created, so a restore that started meanwhile is in the second listing and keeps its own
  const names = await target.listCollections();
  const journaled = (await journal.list()).map((r) => `${WORK_PREFIX}tmp_${r._id}_`);
  for (const name of names) {
    if (name.startsWith(`${WORK_PREFIX}tmp_`) && !journaled.some((prefix) => name.startsWith(prefix))) {
      await target.drop(name);
      actions.push(`dropped orphan temporary ${name}`);
    }
  }
  return actions;
}

/** The error of a db another restore may be writing: `TARGET_BUSY`, naming that run. */
export function targetBusy(live: JournalDoc, db: string): TargetError {
  return new TargetError(
    'TARGET_BUSY',
    `another restore (run ${live._id}, pid ${live.owner.pid} on ${live.owner.host}) is writing ${db}`,
    {
      hint: 'wait for it to finish; a crashed run is taken over once its heartbeat is a minute old',
      subject: { db, runId: live._id },
      labels: ['noWritesPerformed', 'retryable'],
    },
  );
}
