import { crashPoint } from '../core/crash-point.js';
import type { ProgressListener } from '../core/progress.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { JournalEntry } from '../target/target-journal.js';
import { targetBusy } from './recover-target.js';
import { HEARTBEAT_MS, ownerMayBeAlive, RestoreJournal } from './restore-journal.js';
import type { SnapshotMetadataDoc } from './snapshot-metadata.js';

/**
 * The journal side of a run: records it before the first temporary exists (`begin`, phase `loading`,
 * with a heartbeat), then either commits (journal `swapping` is the commit point, then every swap and
 * snapshot_metadata last) or rolls back (drops the temporaries; the old collections were never
 * touched). A crash anywhere leaves a journal a later run finishes or undoes (`recoverTarget`).
 */
export class RestoreCommitter {
  readonly #target: SnapshotTarget;
  readonly #journal: RestoreJournal;
  readonly #runId: string;
  readonly #progress: ProgressListener;
  #heartbeat: NodeJS.Timeout | undefined;
  #committed = false;

  constructor(target: SnapshotTarget, runId: string, progress: ProgressListener) {
    this.#target = target;
    this.#journal = new RestoreJournal(target.journal);
    this.#runId = runId;
    this.#progress = progress;
  }

  /** True once the commit point is passed: from there the run rolls forward, never back. */
  get committed(): boolean {
    return this.#committed;
  }

  /**
   * Journal the run in phase `loading` and keep its heartbeat until {@link stop}. The journal is read
   * again after the run's own record is in: when another live run is there too, two restores started
   * at once, and this one withdraws. Of two runs, the later to read always sees the other, so at most
   * one goes on (both may withdraw when both wrote before either read: each then fails cleanly).
   *
   * @throws TargetError `TARGET_BUSY` (nothing written but its own record, which is removed)
   */
  async begin(entries: readonly JournalEntry[]): Promise<void> {
    await this.#journal.begin(this.#runId, entries);
    crashPoint('restore:journaled');
    const other = (await this.#journal.list()).find((r) => r._id !== this.#runId && ownerMayBeAlive(r));
    if (other) {
      await this.#journal.finish(this.#runId);
      throw targetBusy(other, this.#target.db);
    }
    this.#heartbeat = setInterval(
      () => void this.#journal.heartbeat(this.#runId).catch(() => undefined),
      HEARTBEAT_MS,
    );
    this.#heartbeat.unref();
  }

  /**
   * Pass the commit point, then swap every entry in and write snapshot_metadata last. The old
   * snapshot_metadata is removed first: a db between two swaps does not claim either snapshot.
   *
   * @throws TargetError `TARGET_SWAP_FAILED`, `TARGET_SWAP_CONFLICT` (a rerun rolls forward)
   */
  async commit(
    entries: readonly JournalEntry[],
    metadata: SnapshotMetadataDoc,
    strategy: SwapStrategy,
  ): Promise<void> {
    await this.#journal.markSwapping(this.#runId, metadata);
    this.#committed = true;
    crashPoint('restore:committed');
    this.#progress({ type: 'phase', phase: 'swap', detail: strategy });
    await this.#target.clearMetadata();
    for (const entry of entries) await this.#target.swap(entry, strategy);
    await this.#target.writeMetadata(metadata);
    crashPoint('restore:metadata-written');
    await this.#journal.finish(this.#runId);
  }

  /**
   * Before the commit point: drop this run's temporaries and forget the run.
   *
   * @returns warnings (a failed cleanup is left to the next run's recovery)
   */
  async rollBack(entries: readonly JournalEntry[]): Promise<string[]> {
    try {
      for (const entry of entries) await this.#target.discard(entry);
      await this.#journal.finish(this.#runId);
      return [];
    } catch (error) {
      return [`could not drop the temporary collections (the next run will): ${(error as Error).message}`];
    }
  }

  /** Stop the heartbeat. */
  stop(): void {
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }
}
