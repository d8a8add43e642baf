import { crashPoint } from '../core/crash-point.js';
import type { DumpEvent } from '../core/dump-event.js';
import { isDumpOplog } from '../core/namespace.js';
import type { OplogReplayResult } from '../target/oplog-replay.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { ArchiveError } from '../errors/index.js';
import { assertTargetAllowed } from '../target/guard/assert-target-allowed.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { JournalEntry } from '../target/target-journal.js';
import { assembleResult } from './assemble-result.js';
import { newCollectionLoad, type CollectionLoad } from './collection-load.js';
import { FailureLatch } from './failure-latch.js';
import { OplogSpill } from './oplog-spill.js';
import { recoverTarget } from './recover-target.js';
import { RestoreCommitter } from './restore-committer.js';
import { blameInput, blameTarget } from './restore-faults.js';
import { RestoreFinisher } from './restore-finisher.js';
import { RestoreLoader } from './restore-loader.js';
import { restoreTuning, type RestoreOptions, type RestoreTuning } from './restore-options.js';
import { planRestore, type PlannedCollection, type RestorePlan } from './restore-plan.js';
import type { RestoreResult } from './restore-result.js';
import { buildSnapshotMetadata, type SnapshotMetadataDoc } from './snapshot-metadata.js';
import { asideName, newRunId } from './swap-names.js';
import { tallyStream, type StreamTallies } from './tally-stream.js';

export type { RestoreOptions } from './restore-options.js';

/**
 * Restore a dump into the target db, never leaving a collection half-written:
 * 1. read the prelude and plan (namespace mapping, subset, indexes);
 * 2. finish or undo what interrupted runs left (journal);
 * 3. journal the run (`loading`), create `__dbfork_tmp_<run>_<coll>` per collection, stream the
 *    documents into them in unordered batches (bounded workers, bounded buffered bytes: the loader);
 * 4. per collection, once its data ended: build indexes, count and compare checksums (the finisher);
 * 5. if every collection verified: journal `swapping` (the commit point), swap each temporary in and
 *    write snapshot_metadata last (the committer); otherwise drop the temporaries: the target keeps
 *    every old collection.
 * Failures are classified by who is at fault (see `blame`): the dump stream, the target, or dbfork.
 * Crash points (`DBFORK_TEST_CRASH_AT`): restore:planned, restore:temps-created, restore:document,
 * restore:batch-written, restore:verified, restore:committed, restore:swap-aside, restore:swap-renamed,
 * restore:metadata-written.
 *
 * Any {@link SnapshotTarget} works; `guard` must be the verdict of `evaluateTargetGuard` for `targetDb`.
 *
 * @returns the result set; failures are in `error` and per-collection `status`, never thrown (a
 *   refusing `guard` gives a PolicyError there, before any write)
 */
export async function restoreDump(options: RestoreOptions): Promise<RestoreResult> {
  return new RestoreRun(options).execute();
}

class RestoreRun {
  readonly #o: RestoreOptions;
  readonly #target: SnapshotTarget;
  readonly #tuning: RestoreTuning;
  readonly #progress: ProgressListener;
  readonly #runId: string;
  readonly #started = Date.now();
  readonly #warnings: string[] = [];
  readonly #loads = new Map<string, CollectionLoad>();
  readonly #tallies: StreamTallies = { byNamespace: new Map(), archiveCrc64: new Map() };
  readonly #latch = new FailureLatch();
  readonly #loader: RestoreLoader;
  #recovered: string[] = [];
  #strategy: SwapStrategy = 'rename-aside';
  readonly #oplog = new OplogSpill();
  #replay: OplogReplayResult | null = null;

  constructor(options: RestoreOptions) {
    this.#o = options;
    this.#target = blameTarget(options.target);
    this.#tuning = restoreTuning(options);
    this.#progress = options.onProgress ?? NO_PROGRESS;
    this.#runId = options.runId ?? newRunId();
    const finisher = new RestoreFinisher({
      target: this.#target,
      tuning: this.#tuning,
      tallies: this.#tallies,
      latch: this.#latch,
      warnings: this.#warnings,
      progress: this.#progress,
    });
    this.#loader = new RestoreLoader({
      target: this.#target,
      tuning: this.#tuning,
      loads: this.#loads,
      latch: this.#latch,
      progress: this.#progress,
      onEnded: (load) => finisher.finish(load),
    });
  }

  async execute(): Promise<RestoreResult> {
    let plan: RestorePlan | null = null;
    let metadata: SnapshotMetadataDoc | null = null;
    const committer = new RestoreCommitter(this.#target, this.#runId, this.#progress);
    const iterator = this.#stream()[Symbol.asyncIterator]();
    try {
      assertTargetAllowed(this.#o.guard, this.#o.targetDb);
      const first = await iterator.next();
      if (first.done || first.value.type !== 'prelude') {
        throw new ArchiveError('ARCHIVE_BAD_EVENT_ORDER', 'the dump stream does not start with its prelude');
      }
      plan = planRestore(first.value.collections, this.#o, this.#o.guard, this.#runId);
      this.#warnings.push(...plan.warnings);
      crashPoint('restore:planned');
      this.#strategy = this.#o.swapStrategy ?? (await this.#target.capabilities()).swapStrategy;
      this.#recovered = await recoverTarget(this.#target, this.#strategy);
      const selected = plan.collections.filter((c) => c.action === 'restore');
      await committer.begin(selected.map((c) => this.#entry(c)));
      for (const c of selected) await this.#prepare(c);
      crashPoint('restore:temps-created');
      await this.#loader.consume(iterator);
      await this.#loader.settle();
      if (this.#latch.error) throw this.#latch.error;
      this.#assertEveryEnded();
      if (this.#o.oplogReplay) await this.#replayOplog();
      metadata = this.#metadata();
      await committer.commit(this.#entries(), metadata, this.#strategy);
      return this.#result(plan, metadata, true);
    } catch (error) {
      this.#latch.record(error, 'engine');
      await this.#loader.settle();
      if (plan && !committer.committed) this.#warnings.push(...(await committer.rollBack(this.#entries())));
      return this.#result(plan, null, false);
    } finally {
      committer.stop();
      await this.#oplog.dispose();
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  /** The input as the loader pulls it: I/O errors blamed on the input, tallied, then transformed. */
  #stream(): AsyncIterable<DumpEvent> {
    const subset = new Set(this.#o.collections ?? []);
    const tapped = tallyStream(
      blameInput(this.#o.events),
      this.#tallies,
      (c) => subset.size === 0 || subset.has(c),
      this.#o.crc64,
    );
    const transformed = this.#o.transform ? this.#o.transform(tapped) : tapped;
    return this.#o.oplogReplay ? this.#keepOplog(transformed) : transformed;
  }

  /** The oplog's entries go aside (after any transform: the anonymized ones are replayed). */
  async *#keepOplog(events: AsyncIterable<DumpEvent>): AsyncGenerator<DumpEvent> {
    for await (const event of events) {
      if (event.type === 'document' && isDumpOplog(event.namespace)) await this.#oplog.append(event.bson);
      yield event;
    }
  }

  /**
   * Replay the kept oplog into the loaded temporaries (before the commit point, so a failure drops
   * them and the target keeps its collections), then take the post-replay counts as the restored ones.
   */
  async #replayOplog(): Promise<void> {
    const temps = new Map([...this.#loads.values()].map((l) => [l.plan.source, l.plan.temp]));
    this.#replay = await this.#target.replayOplog(this.#oplog.entries(), (ns) => temps.get(ns) ?? null);
    for (const load of this.#loads.values()) {
      const after = this.#replay.documents[load.plan.temp];
      if (after !== undefined) load.written = after;
    }
    const r = this.#replay;
    this.#warnings.push(
      `oplog replayed to ${r.lastOptime ?? '(empty)'}: ${r.inserted} inserted, ${r.updated} updated, ${r.deleted} deleted, ${r.skipped} skipped`,
    );
  }

  async #prepare(c: PlannedCollection): Promise<void> {
    this.#warnings.push(
      ...(await this.#target.prepare({
        temp: c.temp,
        createOptions: c.createOptions,
        displayNamespace: c.source,
      })),
    );
    this.#loads.set(c.source, newCollectionLoad(c, this.#tuning.insertWorkersPerCollection));
    this.#progress({
      type: 'collection-start',
      namespace: c.source,
      estimatedDocuments: c.expected?.documents ?? null,
    });
  }

  #assertEveryEnded(): void {
    for (const load of this.#loads.values()) {
      if (!load.ended)
        throw new ArchiveError(
          'ARCHIVE_NOT_CLOSED',
          `the dump ended before the data of ${load.plan.source} did`,
        );
    }
  }

  #metadata(): SnapshotMetadataDoc {
    const provenance = this.#o.provenance ?? {
      snapshotId: null,
      source: null,
      takenAt: null,
      rulesDigest: null,
      anonymized: 'none' as const,
    };
    const replayedTo = this.#replay?.lastOptime;
    return buildSnapshotMetadata(
      replayedTo
        ? {
            ...provenance,
            consistency: { ...(provenance.consistency ?? { mode: 'oplog', member: null }), replayedTo },
          }
        : provenance,
      [...this.#loads.values()].map((l) => ({
        name: l.plan.target,
        documents: l.written,
        bytes: l.writtenBytes,
      })),
      new Date(),
    );
  }

  #entry(c: PlannedCollection): JournalEntry {
    return { target: c.target, temp: c.temp, aside: asideName(this.#runId, c.target) };
  }

  #entries(): JournalEntry[] {
    return [...this.#loads.values()].map((l) => this.#entry(l.plan));
  }

  #result(plan: RestorePlan | null, metadata: SnapshotMetadataDoc | null, swapped: boolean): RestoreResult {
    return assembleResult({
      runId: this.#runId,
      targetDb: this.#o.targetDb,
      swapStrategy: this.#strategy,
      plan,
      loads: this.#loads,
      recovered: this.#recovered,
      warnings: this.#warnings,
      metadata,
      swapped,
      startedAt: this.#started,
      failure: this.#latch.error,
    });
  }
}
