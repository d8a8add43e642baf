import { deserialize } from 'bson';
import type { Db, Document } from 'mongodb';
import type { PlannedCollection } from './restore-plan.js';
import type { RejectedIndex } from './restore-result.js';
import type { Verification } from './verify-collection.js';

/** BSON decoding that keeps every value's type, so re-encoding gives the same bytes. */
export const LOSSLESS_BSON = Object.freeze({
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: true,
  useBigInt64: false,
});

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

export function newCollectionLoad(plan: PlannedCollection): CollectionLoad {
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

/** Decode a batch for the driver (which encodes it again, byte for byte). */
export function decodeBatch(batch: readonly Uint8Array[]): Document[] {
  return batch.map((bytes) => deserialize(bytes, LOSSLESS_BSON));
}

/** Exact count of a collection (not the metadata estimate). */
export async function countCollection(db: Db, name: string): Promise<number> {
  // Number(): a client with promoteValues off answers with an Int32/Long wrapper
  return Number(await db.collection(name).countDocuments({}));
}
