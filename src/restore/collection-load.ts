import type { PlannedCollection } from './restore-plan.js';
import type { RejectedIndex } from '../target/index-spec.js';
import { Semaphore } from './semaphore.js';
import type { Verification } from './verify-collection.js';

/** The mutable state of one collection while it loads. Sizes in bytes. */
export interface CollectionLoad {
  readonly plan: PlannedCollection;
  readonly startedAt: number;
  /** Raw documents waiting for the next batch (kept as bytes: decoded only when sent). */
  batch: Uint8Array[];
  batchBytes: number;
  /** Documents and bytes handed to batches. */
  sentDocuments: number;
  sentBytes: number;
  /** Documents the server acknowledged. */
  written: number;
  writtenBytes: number;
  /** Batches in flight. */
  readonly pending: Set<Promise<void>>;
  /** This collection's own bound on batches in flight (under the run's `insertWorkers`). */
  readonly insertSlots: Semaphore;
  /** Gives back the collection's insert slot (held while any batch is in flight). */
  releaseSlot: (() => void) | null;
  ended: boolean;
  finalized: Promise<void> | null;
  failed: string | null;
  verification: Verification | null;
  indexesBuilt: string[];
  indexesRejected: RejectedIndex[];
  durationMs: number;
}

/** @param insertWorkers - batches of this collection in flight at once */
export function newCollectionLoad(plan: PlannedCollection, insertWorkers: number): CollectionLoad {
  return {
    plan,
    startedAt: Date.now(),
    batch: [],
    batchBytes: 0,
    sentDocuments: 0,
    sentBytes: 0,
    written: 0,
    writtenBytes: 0,
    pending: new Set(),
    insertSlots: new Semaphore(insertWorkers),
    releaseSlot: null,
    ended: false,
    finalized: null,
    failed: null,
    verification: null,
    indexesBuilt: [],
    indexesRejected: [],
    durationMs: 0,
  };
}
