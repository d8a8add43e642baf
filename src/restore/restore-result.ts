import type { DbforkError } from '../errors/index.js';
import type { SnapshotMetadataDoc } from './snapshot-metadata.js';
import type { RejectedIndex } from '../target/index-spec.js';
import type { SwapStrategy } from '../target/swap-strategy.js';
import type { Verification } from './verify-collection.js';

export type { RejectedIndex } from '../target/index-spec.js';

/**
 * One collection's outcome:
 * - `restored`: loaded, indexed, verified and swapped in;
 * - `skipped`: not selected (see `reason`);
 * - `failed`: its load, indexes or verification failed (see `reason`);
 * - `not-swapped`: complete and verified, but another collection failed, so nothing was swapped
 *   (the target keeps its old version).
 */
export interface CollectionResult {
  /** Source namespace, `db.coll`. */
  readonly namespace: string;
  /** Target collection name in the target db. */
  readonly target: string;
  readonly status: 'restored' | 'skipped' | 'failed' | 'not-swapped';
  readonly reason?: string;
  /** Documents written to the target. */
  readonly documents: number;
  /** BSON bytes written, in bytes. */
  readonly bytes: number;
  /** Load + index + verify time, in ms. */
  readonly durationMs: number;
  readonly verification: Verification | null;
  readonly indexesBuilt: readonly string[];
  readonly indexesRejected: readonly RejectedIndex[];
}

/** A restore run as data: it never throws for a failed step; `error` says what stopped it. */
export interface RestoreResult {
  readonly runId: string;
  readonly targetDb: string;
  readonly swapStrategy: SwapStrategy;
  readonly collections: readonly CollectionResult[];
  /** What earlier interrupted runs left and this run finished or undid. */
  readonly recovered: readonly string[];
  readonly warnings: readonly string[];
  /** The snapshot_metadata record written, or null when the run failed. */
  readonly metadata: SnapshotMetadataDoc | null;
  /** Wall time, in ms. */
  readonly durationMs: number;
  readonly error?: DbforkError;
}
