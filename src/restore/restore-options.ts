import type { DumpEventStream } from '../core/dump-event.js';
import type { ProgressListener } from '../core/progress.js';
import type { GuardVerdict } from '../target/guard/target-guard.js';
import type { SnapshotTarget } from '../target/snapshot-target.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { RestorePlanOptions } from './restore-plan.js';
import type { RestoreProvenance } from './snapshot-metadata.js';
import type { Crc64Factory } from '../archive/document-tally.js';

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
   * Count each loaded collection exactly (reads every document), instead of the server's storage
   * count confirmed against the documents sent. Default false.
   */
  readonly exactCount?: boolean;
  /** Force a swap strategy instead of probing the server (a test seam). */
  readonly swapStrategy?: SwapStrategy;
  /** CRC-64/XZ implementation, to compare with archive and manifest CRCs (default: the archive codec's). */
  readonly crc64?: Crc64Factory;
  readonly onProgress?: ProgressListener;
  /** Run id (default: random). */
  readonly runId?: string;
  /**
   * Apply the dump's oplog (a `mongodump --oplog` dump, or a snapshot taken with `--consistency
   * oplog`) after the collections are loaded aside and before the swap (`restore --oplog-replay`).
   */
  readonly oplogReplay?: boolean;
}

/** The tuning of a run with every default applied. Sizes in bytes. */
export interface RestoreTuning {
  readonly parallelCollections: number;
  readonly insertWorkers: number;
  readonly insertWorkersPerCollection: number;
  readonly batchBytes: number;
  readonly batchDocuments: number;
  readonly maxBufferedBytes: number;
  readonly strictIndexes: boolean;
  readonly exactCount: boolean;
}

const MiB = 1024 * 1024;

/** Apply the defaults documented on {@link RestoreOptions}. Pure. */
export function restoreTuning(options: RestoreOptions): RestoreTuning {
  return {
    parallelCollections: options.parallelCollections ?? 4,
    insertWorkers: options.insertWorkers ?? 4,
    insertWorkersPerCollection: options.insertWorkersPerCollection ?? 2,
    batchBytes: options.batchBytes ?? 4 * MiB,
    batchDocuments: options.batchDocuments ?? 1000,
    maxBufferedBytes: options.maxBufferedBytes ?? 64 * MiB,
    strictIndexes: options.strictIndexes ?? false,
    exactCount: options.exactCount ?? false,
  };
}
