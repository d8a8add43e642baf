import { crashPoint } from '../core/crash-point.js';
import type { ProgressListener } from '../core/progress.js';
import { TargetError } from '../errors/index.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { CollectionLoad } from './collection-load.js';
import type { FailureLatch } from './failure-latch.js';
import type { RestoreTuning } from './restore-options.js';
import { Semaphore } from './semaphore.js';
import type { StreamTallies } from './tally-stream.js';
import { verifyCollection } from './verify-collection.js';

/**
 * Finishes each collection once its last batch is written, beside the stream: build its indexes on
 * the target, count it, and compare counts and checksums (`verifyCollection`). At most
 * `parallelCollections` finish at once. A refused index is a warning (an error under
 * `strictIndexes`); a failed verification fails the run (`TARGET_VERIFY_FAILED`): nothing is swapped.
 */
export class RestoreFinisher {
  readonly #target: SnapshotTarget;
  readonly #tuning: RestoreTuning;
  readonly #tallies: StreamTallies;
  readonly #latch: FailureLatch;
  readonly #warnings: string[];
  readonly #progress: ProgressListener;
  readonly #slots: Semaphore;

  constructor(deps: {
    readonly target: SnapshotTarget;
    readonly tuning: RestoreTuning;
    readonly tallies: StreamTallies;
    readonly latch: FailureLatch;
    readonly warnings: string[];
    readonly progress: ProgressListener;
  }) {
    this.#target = deps.target;
    this.#tuning = deps.tuning;
    this.#tallies = deps.tallies;
    this.#latch = deps.latch;
    this.#warnings = deps.warnings;
    this.#progress = deps.progress;
    this.#slots = new Semaphore(deps.tuning.parallelCollections);
  }

  /** Wait for the collection's batches, then finish it. Never throws: failures go to the latch. */
  async finish(load: CollectionLoad): Promise<void> {
    while (load.pending.size > 0) await Promise.all([...load.pending]);
    if (this.#latch.error) return;
    const release = await this.#slots.acquire();
    try {
      await this.#finishOne(load);
    } catch (error) {
      this.#latch.record(error, 'engine', load);
    } finally {
      release();
    }
  }

  async #finishOne(load: CollectionLoad): Promise<void> {
    const p = load.plan;
    const finished = await this.#target.finish({
      temp: p.temp,
      indexes: p.indexes,
      strictIndexes: this.#tuning.strictIndexes,
      displayNamespace: p.source,
      sentDocuments: load.sentDocuments,
      exactCount: this.#tuning.exactCount,
    });
    load.indexesBuilt = finished.built;
    load.indexesRejected = finished.rejected;
    for (const r of finished.rejected) {
      const message = `${p.source}: the target refused index ${r.name}: ${r.reason}`;
      this.#warnings.push(message);
      this.#progress({ type: 'warning', namespace: p.source, code: 'TARGET_INDEX_REJECTED', message });
    }
    const tally = this.#tallies.byNamespace.get(p.source);
    const verification = verifyCollection({
      expected: p.expected,
      streamDocuments: tally?.documents ?? 0,
      sha256: tally?.digest().sha256 ?? '',
      crc64: tally?.digest().crc64 ?? null,
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
  }
}
