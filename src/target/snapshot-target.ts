import type { LiveGuardReport, LiveGuardRequest } from './guard/live-guard.js';
import type { IndexSpec, RejectedIndex } from './index-spec.js';
import type { SwapStrategy } from './swap-strategy.js';
import type { JournalEntry, TargetJournal } from './target-journal.js';
import type { OplogNamespaceResolver, OplogReplayResult } from './oplog-replay.js';

/** What a target server can do, probed once per target. */
export interface TargetCapabilities {
  readonly swapStrategy: SwapStrategy;
}

/** A temporary collection to create before its data loads. */
export interface PrepareRequest {
  readonly temp: string;
  /** `create` options from the dump's metadata; a target may drop those it refuses. */
  readonly createOptions: Readonly<Record<string, unknown>>;
  /** `db.coll` of the source, for messages. */
  readonly displayNamespace: string;
}

/** One batch of raw BSON documents for a temporary collection. `bytes` is the batch's total size. */
export interface LoadRequest {
  readonly temp: string;
  readonly batch: readonly Uint8Array[];
  readonly bytes: number;
  readonly displayNamespace: string;
  /** Told before each retry of a transient failure; `delayMs` is the wait, in ms. */
  readonly onRetry?: (attempt: number, delayMs: number, reason: string) => void;
}

/** What finishing a loaded temporary collection needs: its indexes and what was sent to it. */
export interface FinishRequest {
  readonly temp: string;
  readonly indexes: readonly IndexSpec[];
  /** Throw instead of reporting an index the target refuses. */
  readonly strictIndexes: boolean;
  readonly displayNamespace: string;
  /** Documents sent to the temporary collection: a fast count may confirm it, never contradict it. */
  readonly sentDocuments: number;
  /** Count every document instead of trusting a storage count that matches `sentDocuments`. */
  readonly exactCount: boolean;
}

/** A finished temporary collection: indexes built and refused, and the server's document count. */
export interface FinishedCollection {
  readonly built: string[];
  readonly rejected: RejectedIndex[];
  readonly serverDocuments: number;
}

/**
 * One target database as the restore engine writes it, whatever the engine behind it (the
 * `mongodb/` adapter implements it). The engine's order: `prepare` each temporary, `load` batches,
 * `finish` (indexes, count), then `swap` each in after the journal's commit point, or `discard` them.
 * Errors are thrown as dbfork errors of category `target` (TargetError), except `checkLive`'s
 * refusals (PolicyError).
 */
export interface SnapshotTarget {
  /** The target database name. */
  readonly db: string;
  /** The target's capabilities, probed on the first call and remembered. */
  capabilities(): Promise<TargetCapabilities>;
  /**
   * The guard's live half, on the open connection, before any write.
   *
   * @throws PolicyError `TARGET_PRIVILEGES_TOO_BROAD` or `TARGET_IS_SOURCE`
   */
  checkLive(request: LiveGuardRequest): Promise<LiveGuardReport>;
  /** Names of the collections in the target db now. */
  listCollections(): Promise<string[]>;
  /** Where the restore journal lives in this db. */
  readonly journal: TargetJournal;
  /**
   * Create a temporary collection.
   *
   * @returns warnings (options the target refused and dropped)
   * @throws TargetError `TARGET_WRITE_FAILED`
   */
  prepare(request: PrepareRequest): Promise<string[]>;
  /**
   * Insert one batch, retrying transient failures.
   *
   * @returns documents of the batch now in the collection
   * @throws TargetError `TARGET_WRITE_FAILED`
   */
  load(request: LoadRequest): Promise<number>;
  /**
   * Build the indexes of a loaded temporary and count it.
   *
   * @throws TargetError `TARGET_INDEX_REJECTED` under `strictIndexes`
   */
  finish(request: FinishRequest): Promise<FinishedCollection>;
  /**
   * Bring one collection to "swapped" from whatever state a run left it in (idempotent).
   *
   * @throws TargetError `TARGET_SWAP_FAILED`, `TARGET_SWAP_CONFLICT`
   */
  swap(entry: JournalEntry, strategy: SwapStrategy): Promise<void>;
  /** Drop an entry's temporary if it exists (a run that never reached its commit point). */
  discard(entry: JournalEntry): Promise<void>;
  /** Drop one collection of the target db. */
  drop(collection: string): Promise<void>;
  /** Replace the target's snapshot_metadata record (durably). */
  writeMetadata(metadata: object): Promise<void>;
  /** The target's snapshot_metadata record (what the last restore wrote), or null. Read-only. */
  readMetadata(): Promise<Record<string, unknown> | null>;
  /** Remove the snapshot_metadata record (before a swap: a half-swapped db must not claim a snapshot). */
  clearMetadata(): Promise<void>;
  /** Release the connection, when the target owns it. */
  /**
   * Apply a dump's oplog entries, in order, to the collections they were loaded into (`resolve`), with
   * ordinary writes (docs/consistency.md); idempotent, so a retried replay gives the same documents.
   */
  replayOplog(
    entries: AsyncIterable<Uint8Array>,
    resolve: OplogNamespaceResolver,
  ): Promise<OplogReplayResult>;
  close(): Promise<void>;
}
