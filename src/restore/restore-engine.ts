import type { DumpEvent, DumpEventStream } from '../core/dump-event.js';
import { Crc64 } from '../archive/crc64.js';
import { crashPoint } from '../core/crash-point.js';
import { formatNamespace } from '../core/namespace.js';
import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { ArchiveError, isDbforkError, PolicyError, TargetError, type DbforkError } from '../errors/index.js';
import type { GuardVerdict } from '../target/guard/target-guard.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import { newCollectionLoad, type CollectionLoad } from './collection-load.js';
import { recoverTarget } from './recover-target.js';
import { HEARTBEAT_MS, RestoreJournal, type JournalEntry } from './restore-journal.js';
import { planRestore, type RestorePlan, type RestorePlanOptions } from './restore-plan.js';
import type { CollectionResult, RestoreResult } from './restore-result.js';
import { Semaphore } from './semaphore.js';
import {
  buildSnapshotMetadata,
  type RestoreProvenance,
  type SnapshotMetadataDoc,
} from './snapshot-metadata.js';
import type { Crc64Factory } from './stream-digest.js';
import { asideName, newRunId } from './swap-names.js';
import { tallyStream, type StreamTallies } from './tally-stream.js';
import { verifyCollection } from './verify-collection.js';

/** Everything a restore run needs. Sizes in bytes. */
export interface RestoreOptions extends RestorePlanOptions {
  /** The target database, connected (the guard has already accepted it); `targetDb` names the same db. */
  readonly target: SnapshotTarget;
  /** The dump to restore: pulled with backpressure, never faster than writes complete. */
  readonly events: DumpEventStream;
  /** The guard's verdict for this target: the engine refuses to write unless it allowed it. */
  readonly guard: GuardVerdict;
  /** Snapshot id, source, rules: recorded in snapshot_metadata. Default: an anonymous raw dump. */
  readonly provenance?: RestoreProvenance;
  /** A restore-time rewrite of the stream (anonymization); checksums are taken before it. */
  readonly transform?: (events: DumpEventStream) => DumpEventStream;
  /** Fail instead of warning when the target refuses an index. */
  readonly strictIndexes?: boolean;
  /** Collections with inserts in flight at once, and collections finishing (index, verify) at once. Default 4. */
  readonly parallelCollections?: number;
  /** Insert batches in flight at once, across collections. Default 4. */
  readonly insertWorkers?: number;
  /**
   * Insert batches of one collection in flight at once (under `insertWorkers`). Default 2: on
   * FerretDB one batch is written while the next is on the wire; more only queue on its per-database
   * write lock and hold memory (bench/restore.ts: 50k documents, 1.9 s at 2, 2.2-3.3 s at 4).
   */
  readonly insertWorkersPerCollection?: number;
  /** A batch is sent at this many bytes (default 4 MiB) … */
  readonly batchBytes?: number;
  /** … or this many documents (default 1000), whichever comes first. */
  readonly batchDocuments?: number;
  /** Ceiling on raw bytes waiting in unsent batches across collections (default 64 MiB). */
  readonly maxBufferedBytes?: number;
  /**
   * Count each loaded collection with `countDocuments` only (reads every document), instead of the
   * server's storage count confirmed against the documents sent (see `countCollection`). Default false.
   */
  readonly exactCount?: boolean;
  /** Force a swap strategy instead of probing the server (a test seam). */
  readonly swapStrategy?: SwapStrategy;
  /** CRC-64/XZ implementation, to compare with archive and manifest CRCs (default: the archive codec's). */
  readonly crc64?: Crc64Factory;
  readonly onProgress?: ProgressListener;
  /** Run id (default: random). */
  readonly runId?: string;
}

const MiB = 1024 * 1024;
/** Per-document crash points cost an env lookup each: only when a crash test armed them. */
const CRASH_ARMED = Boolean(process.env.DBFORK_TEST_CRASH_AT);

/**
 * Restore a dump into the target db, never leaving a collection half-written:
 * 1. read the prelude and plan (namespace mapping, subset, indexes);
 * 2. finish or undo what interrupted runs left (journal);
 * 3. journal the run (`loading`), create `__dbfork_tmp_<run>_<coll>` per collection, stream the
 *    documents into them in unordered batches (bounded workers, bounded buffered bytes);
 * 4. per collection, once its data ended: build indexes, count and compare checksums;
 * 5. if every collection verified: journal `swapping` (the commit point), remove the old
 *    snapshot_metadata, swap each temporary in (atomic rename with dropTarget, or the stepwise
 *    rename-aside where the server lacks it), write snapshot_metadata, clear the journal;
 *    otherwise drop the temporaries: the target keeps every old collection.
 * Crash points (`DBFORK_TEST_CRASH_AT`): restore:planned, restore:temps-created, restore:document,
 * restore:batch-written, restore:verified, restore:committed, restore:swap-aside, restore:swap-renamed,
 * restore:metadata-written.
 *
 * @returns the result set; failures are in `error` and per-collection `status`, never thrown
 */
export async function restoreDump(options: RestoreOptions): Promise<RestoreResult> {
  return new RestoreRun(options).execute();
}

class RestoreRun {
  readonly #o: RestoreOptions;
  readonly #progress: ProgressListener;
  readonly #runId: string;
  readonly #started = Date.now();
  readonly #warnings: string[] = [];
  readonly #loads = new Map<string, CollectionLoad>();
  readonly #tallies: StreamTallies = { byNamespace: new Map(), archiveCrc64: new Map() };
  readonly #insertSlots: Semaphore;
  readonly #collectionSlots: Semaphore;
  readonly #finishSlots: Semaphore;
  #failure: DbforkError | null = null;
  #buffered = 0;
  #recovered: string[] = [];
  #strategy: SwapStrategy = 'rename-aside';

  constructor(options: RestoreOptions) {
    this.#o = options;
    this.#progress = options.onProgress ?? NO_PROGRESS;
    this.#runId = options.runId ?? newRunId();
    this.#insertSlots = new Semaphore(options.insertWorkers ?? 4);
    this.#collectionSlots = new Semaphore(options.parallelCollections ?? 4);
    this.#finishSlots = new Semaphore(options.parallelCollections ?? 4);
  }

  get #target(): SnapshotTarget {
    return this.#o.target;
  }

  async execute(): Promise<RestoreResult> {
    let plan: RestorePlan | null = null;
    let metadata: SnapshotMetadataDoc | null = null;
    let committed = false;
    let heartbeat: NodeJS.Timeout | undefined;
    const subset = new Set(this.#o.collections ?? []);
    const tapped = tallyStream(
      this.#o.events,
      this.#tallies,
      (c) => subset.size === 0 || subset.has(c),
      this.#o.crc64 ?? (() => new Crc64()),
    );
    const stream = this.#o.transform ? this.#o.transform(tapped) : tapped;
    const iterator = stream[Symbol.asyncIterator]();
    const journal = new RestoreJournal(this.#target.journal);
    try {
      if (!this.#o.guard.allowed) {
        throw new PolicyError(
          this.#o.guard.code ?? 'TARGET_NOT_ALLOWED',
          `target guard refused: ${this.#o.guard.reason}`,
          {
            subject: { rule: this.#o.guard.rule, db: this.#o.targetDb },
            labels: ['noWritesPerformed'],
          },
        );
      }
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
      await journal.begin(
        this.#runId,
        selected.map((c) => this.#entry(c.target, c.temp)),
      );
      heartbeat = setInterval(() => void journal.heartbeat(this.#runId).catch(() => undefined), HEARTBEAT_MS);
      heartbeat.unref();
      for (const c of selected) {
        this.#warnings.push(
          ...(await this.#target.prepare({
            temp: c.temp,
            createOptions: c.createOptions,
            displayNamespace: c.source,
          })),
        );
        this.#loads.set(c.source, newCollectionLoad(c, this.#o.insertWorkersPerCollection ?? 2));
        this.#progress({
          type: 'collection-start',
          namespace: c.source,
          estimatedDocuments: c.expected?.documents ?? null,
        });
      }
      crashPoint('restore:temps-created');
      await this.#consume(iterator);
      await this.#settle();
      if (this.#failure) throw this.#failure;
      for (const load of this.#loads.values()) {
        if (!load.ended)
          throw new ArchiveError(
            'ARCHIVE_NOT_CLOSED',
            `the dump ended before the data of ${load.plan.source} did`,
          );
      }
      metadata = buildSnapshotMetadata(
        this.#o.provenance ?? {
          snapshotId: null,
          source: null,
          takenAt: null,
          rulesDigest: null,
          anonymized: 'none',
        },
        [...this.#loads.values()].map((l) => ({
          name: l.plan.target,
          documents: l.written,
          bytes: l.writtenBytes,
        })),
        new Date(),
      );
      await journal.markSwapping(this.#runId, metadata);
      committed = true;
      crashPoint('restore:committed');
      this.#progress({ type: 'phase', phase: 'swap', detail: this.#strategy });
      await this.#target.clearMetadata();
      for (const load of this.#loads.values()) {
        await this.#target.swap(this.#entry(load.plan.target, load.plan.temp), this.#strategy);
      }
      await this.#target.writeMetadata(metadata);
      crashPoint('restore:metadata-written');
      await journal.finish(this.#runId);
      return this.#result(plan, metadata, true);
    } catch (error) {
      this.#failure ??= asDbforkError(error);
      await this.#settle();
      if (plan && !committed) await this.#rollBack(journal);
      return this.#result(plan, null, false);
    } finally {
      if (heartbeat) clearInterval(heartbeat);
      await iterator.return?.(undefined).catch(() => undefined);
    }
  }

  #entry(target: string, temp: string): JournalEntry {
    return { target, temp, aside: asideName(this.#runId, target) };
  }

  /** Pull events one at a time; a full batch waits for a free insert worker before the next pull. */
  async #consume(iterator: AsyncIterator<DumpEvent>): Promise<void> {
    const batchBytes = this.#o.batchBytes ?? 4 * MiB;
    const batchDocs = this.#o.batchDocuments ?? 1000;
    const maxBuffered = this.#o.maxBufferedBytes ?? 64 * MiB;
    for (;;) {
      if (this.#failure) return;
      const next = await iterator.next();
      if (next.done) return;
      const event = next.value;
      if (event.type === 'prelude')
        throw new ArchiveError('ARCHIVE_BAD_EVENT_ORDER', 'the dump stream holds a second prelude');
      const load = this.#loads.get(formatNamespace(event.namespace));
      if (!load) continue;
      if (event.type === 'document') {
        if (load.ended)
          throw new ArchiveError(
            'ARCHIVE_NAMESPACE_REOPENED',
            `a document of ${load.plan.source} follows its end`,
          );
        if (CRASH_ARMED) crashPoint('restore:document');
        load.batch.push(event.bson);
        load.batchBytes += event.bson.byteLength;
        this.#buffered += event.bson.byteLength;
        if (
          load.batchBytes >= batchBytes ||
          load.batch.length >= batchDocs ||
          this.#buffered >= maxBuffered
        ) {
          await this.#flush(load);
        }
      } else {
        load.ended = true;
        await this.#flush(load);
        load.finalized = this.#finish(load);
      }
    }
  }

  /** Hand the collection's batch to a worker; returns once a worker took it (not when it is written). */
  async #flush(load: CollectionLoad): Promise<void> {
    if (load.batch.length === 0) return;
    const batch = load.batch;
    const bytes = load.batchBytes;
    load.batch = [];
    load.batchBytes = 0;
    if (!load.releaseSlot) load.releaseSlot = await this.#collectionSlots.acquire();
    const releaseOwn = await load.insertSlots.acquire();
    const releaseShared = await this.#insertSlots.acquire();
    const release = (): void => {
      releaseShared();
      releaseOwn();
    };
    this.#buffered -= bytes;
    load.sentDocuments += batch.length;
    load.sentBytes += bytes;
    const task = (async () => {
      try {
        if (this.#failure) return;
        const written = await this.#target.load({
          temp: load.plan.temp,
          batch,
          bytes,
          displayNamespace: load.plan.source,
          onRetry: (attempt, delayMs, reason) =>
            this.#progress({ type: 'retry', namespace: load.plan.source, attempt, delayMs, reason }),
        });
        load.written += written;
        load.writtenBytes += bytes;
        crashPoint('restore:batch-written');
        this.#progress({
          type: 'collection-progress',
          namespace: load.plan.source,
          documents: load.written,
          bytes: load.writtenBytes,
        });
      } catch (error) {
        this.#fail(load, error);
      } finally {
        release();
      }
    })();
    load.pending.add(task);
    void task.finally(() => {
      load.pending.delete(task);
      if (load.pending.size === 0 && load.releaseSlot) {
        load.releaseSlot();
        load.releaseSlot = null;
      }
    });
  }

  /** After the collection's last batch: indexes, count, checksums. Runs beside the stream. */
  async #finish(load: CollectionLoad): Promise<void> {
    while (load.pending.size > 0) await Promise.all([...load.pending]);
    if (this.#failure) return;
    const release = await this.#finishSlots.acquire();
    try {
      const p = load.plan;
      const finished = await this.#target.finish({
        temp: p.temp,
        indexes: p.indexes,
        strictIndexes: this.#o.strictIndexes ?? false,
        displayNamespace: p.source,
        sentDocuments: load.sentDocuments,
        exactCount: this.#o.exactCount ?? false,
      });
      const indexes = finished;
      load.indexesBuilt = indexes.built;
      load.indexesRejected = indexes.rejected;
      for (const r of indexes.rejected) {
        const message = `${p.source}: the target refused index ${r.name}: ${r.reason}`;
        this.#warnings.push(message);
        this.#progress({ type: 'warning', namespace: p.source, code: 'TARGET_INDEX_REJECTED', message });
      }
      const tally = this.#tallies.byNamespace.get(p.source);
      const verification = verifyCollection({
        expected: p.expected,
        streamDocuments: tally?.documents ?? 0,
        sha256: tally?.sha256.digestHex() ?? '',
        crc64: tally?.crc64?.digestHex() ?? null,
        archiveCrc64: this.#tallies.archiveCrc64.get(p.source),
        sentDocuments: load.sentDocuments,
        serverDocuments: finished.serverDocuments,
      });
      load.verification = verification;
      load.durationMs = Date.now() - load.startedAt;
      if (!verification.ok) {
        throw new TargetError(
          'TARGET_VERIFY_FAILED',
          `${p.source} failed verification: ${verification.problems.join('; ')}`,
          {
            hint: 'nothing was swapped: the target keeps its old collections; check the snapshot and rerun',
            subject: { namespace: p.source },
          },
        );
      }
      crashPoint('restore:verified');
      this.#progress({
        type: 'collection-done',
        namespace: p.source,
        documents: load.written,
        bytes: load.writtenBytes,
        durationMs: load.durationMs,
      });
    } catch (error) {
      this.#fail(load, error);
    } finally {
      release();
    }
  }

  #fail(load: CollectionLoad, error: unknown): void {
    const e = asDbforkError(error);
    load.failed ??= e.message;
    this.#failure ??= e;
  }

  /** Wait for every batch and finalization in flight (their errors are already recorded). */
  async #settle(): Promise<void> {
    for (const load of this.#loads.values()) {
      while (load.pending.size > 0) await Promise.allSettled([...load.pending]);
      if (load.finalized) await load.finalized.catch(() => undefined);
    }
  }

  /** Before the commit point: drop this run's temporaries; the old collections were never touched. */
  async #rollBack(journal: RestoreJournal): Promise<void> {
    try {
      for (const load of this.#loads.values())
        await this.#target.discard(this.#entry(load.plan.target, load.plan.temp));
      await journal.finish(this.#runId);
    } catch (error) {
      this.#warnings.push(
        `could not drop the temporary collections (the next run will): ${(error as Error).message}`,
      );
    }
  }

  #result(plan: RestorePlan | null, metadata: SnapshotMetadataDoc | null, swapped: boolean): RestoreResult {
    const collections: CollectionResult[] = (plan?.collections ?? []).map((c) => {
      const load = this.#loads.get(c.source);
      const base = { namespace: c.source, target: c.target };
      if (c.action === 'skip' || !load) {
        return {
          ...base,
          status: c.action === 'skip' ? ('skipped' as const) : ('failed' as const),
          reason: c.reason ?? 'not started',
          documents: 0,
          bytes: 0,
          durationMs: 0,
          verification: null,
          indexesBuilt: [],
          indexesRejected: [],
        };
      }
      const status = swapped
        ? 'restored'
        : load.failed
          ? 'failed'
          : load.verification?.ok
            ? 'not-swapped'
            : 'failed';
      return {
        ...base,
        status,
        ...(load.failed
          ? { reason: load.failed }
          : status === 'failed'
            ? { reason: 'not complete when the run stopped' }
            : {}),
        documents: load.written,
        bytes: load.writtenBytes,
        durationMs: load.durationMs || Date.now() - load.startedAt,
        verification: load.verification,
        indexesBuilt: load.indexesBuilt,
        indexesRejected: load.indexesRejected,
      };
    });
    return {
      runId: this.#runId,
      targetDb: this.#o.targetDb,
      swapStrategy: this.#strategy,
      collections,
      recovered: this.#recovered,
      warnings: this.#warnings,
      metadata,
      durationMs: Date.now() - this.#started,
      ...(this.#failure ? { error: this.#failure } : {}),
    };
  }
}

function asDbforkError(error: unknown): DbforkError {
  if (isDbforkError(error)) return error;
  return new TargetError('TARGET_WRITE_FAILED', `the restore failed: ${(error as Error).message}`, {
    cause: error,
  });
}
