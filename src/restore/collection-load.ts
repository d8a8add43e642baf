import { deserialize } from 'bson';
import type { Db, Document } from 'mongodb';
import type { PlannedCollection } from './restore-plan.js';
import type { RejectedIndex } from './restore-result.js';
import { Semaphore } from './semaphore.js';
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

/** Decode a batch for the driver (which encodes it again, byte for byte). */
export function decodeBatch(batch: readonly Uint8Array[]): Document[] {
  return batch.map((bytes) => deserialize(bytes, LOSSLESS_BSON));
}

/**
 * The server's count of a freshly loaded collection, checked against `expected` (the documents sent).
 *
 * First the storage count (`$collStats` `count`: the collection's metadata on MongoDB, SQLite's row
 * cells on FerretDB; milliseconds either way). It is taken only when it equals `expected`; when it
 * differs, or the server refuses `$collStats`, the exact `countDocuments` decides, which reads every
 * document (on FerretDB about 0.1 ms per document: 4.7-6 s for 50k). A fast count can thus confirm a
 * match but never report a mismatch on its own. With `exact`, only `countDocuments` is used.
 */
export async function countCollection(
  db: Db,
  name: string,
  expected: number,
  exact = false,
): Promise<number> {
  if (!exact) {
    const fast = await storageCount(db, name).catch(() => null);
    if (fast === expected) return fast;
  }
  // Number(): a client with promoteValues off answers with an Int32/Long wrapper
  return Number(await db.collection(name).countDocuments({}));
}

/** `$collStats` count, summed over shards; null when the server gives none. */
async function storageCount(db: Db, name: string): Promise<number | null> {
  const stats = await db
    .collection(name)
    .aggregate([{ $collStats: { count: {} } }])
    .toArray();
  if (stats.length === 0) return null;
  let total = 0;
  for (const s of stats) {
    const n = Number(s.count);
    if (!Number.isSafeInteger(n) || n < 0) return null;
    total += n;
  }
  return total;
}
