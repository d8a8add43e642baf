import { crashPoint } from '../core/crash-point.js';
import type { DumpEvent } from '../core/dump-event.js';
import { formatNamespace } from '../core/namespace.js';
import type { ProgressListener } from '../core/progress.js';
import { ArchiveError } from '../errors/index.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { CollectionLoad } from './collection-load.js';
import type { FailureLatch } from './failure-latch.js';
import type { RestoreTuning } from './restore-options.js';
import { Semaphore } from './semaphore.js';

/** Per-document crash points cost an env lookup each: only when a crash test armed them. */
const CRASH_ARMED = Boolean(process.env.DBFORK_TEST_CRASH_AT);

/**
 * Streams the documents of a dump into the temporary collections, in unordered batches, with
 * backpressure: the next event is pulled only once the batch it would join has room, a full batch
 * waits for a free insert worker (`insertWorkers` across collections, `insertWorkersPerCollection`
 * each, `parallelCollections` collections with inserts in flight), and raw bytes waiting in unsent
 * batches stay under `maxBufferedBytes`. When a collection's data ends, `onEnded` finishes it beside
 * the stream.
 */
export class RestoreLoader {
  readonly #target: SnapshotTarget;
  readonly #tuning: RestoreTuning;
  readonly #loads: ReadonlyMap<string, CollectionLoad>;
  readonly #latch: FailureLatch;
  readonly #progress: ProgressListener;
  readonly #onEnded: (load: CollectionLoad) => Promise<void>;
  readonly #insertSlots: Semaphore;
  readonly #collectionSlots: Semaphore;
  #buffered = 0;

  constructor(deps: {
    readonly target: SnapshotTarget;
    readonly tuning: RestoreTuning;
    /** Source namespace → its load, for every collection being restored. */
    readonly loads: ReadonlyMap<string, CollectionLoad>;
    readonly latch: FailureLatch;
    readonly progress: ProgressListener;
    readonly onEnded: (load: CollectionLoad) => Promise<void>;
  }) {
    this.#target = deps.target;
    this.#tuning = deps.tuning;
    this.#loads = deps.loads;
    this.#latch = deps.latch;
    this.#progress = deps.progress;
    this.#onEnded = deps.onEnded;
    this.#insertSlots = new Semaphore(deps.tuning.insertWorkers);
    this.#collectionSlots = new Semaphore(deps.tuning.parallelCollections);
  }

  /**
   * Pull the events after the prelude until the stream ends or a failure is recorded.
   *
   * @throws ArchiveError `ARCHIVE_BAD_EVENT_ORDER` (a second prelude), `ARCHIVE_NAMESPACE_REOPENED`;
   *   whatever the stream throws
   */
  async consume(iterator: AsyncIterator<DumpEvent>): Promise<void> {
    for (;;) {
      if (this.#latch.error) return;
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
          load.batchBytes >= this.#tuning.batchBytes ||
          load.batch.length >= this.#tuning.batchDocuments ||
          this.#buffered >= this.#tuning.maxBufferedBytes
        ) {
          await this.#flush(load);
        }
      } else {
        load.ended = true;
        await this.#flush(load);
        load.finalized = this.#onEnded(load);
      }
    }
  }

  /** Wait for every batch and finish in flight (their errors are already recorded). */
  async settle(): Promise<void> {
    for (const load of this.#loads.values()) {
      while (load.pending.size > 0) await Promise.allSettled([...load.pending]);
      if (load.finalized) await load.finalized.catch(() => undefined);
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
    this.#buffered -= bytes;
    load.sentDocuments += batch.length;
    load.sentBytes += bytes;
    const task = this.#write(load, batch, bytes).finally(() => {
      releaseShared();
      releaseOwn();
    });
    load.pending.add(task);
    void task.finally(() => {
      load.pending.delete(task);
      if (load.pending.size === 0 && load.releaseSlot) {
        load.releaseSlot();
        load.releaseSlot = null;
      }
    });
  }

  /** Write one batch. Never throws: a failure goes to the latch. */
  async #write(load: CollectionLoad, batch: Uint8Array[], bytes: number): Promise<void> {
    try {
      if (this.#latch.error) return;
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
      this.#latch.record(error, 'target', load);
    }
  }
}
