import { MongoBulkWriteError, MongoServerError, type Collection, type Document } from 'mongodb';
import { withRetry } from '../core/retry.js';
import { TargetError } from '../errors/index.js';
import { isTransientMongoError, untilSecondTimeout } from './classify-mongo-error.js';
import { decodeBatch } from './lossless-bson.js';
import { canSendRaw, disableRawInserts, insertRaw } from './raw-insert.js';

const DUPLICATE_KEY = 11000;

/** Write errors of a raw insert (the reply had `writeErrors` or a `writeConcernError`). */
class RawWriteError extends Error {}

/**
 * Insert one batch of raw BSON documents, unordered, retrying transient failures. The bytes go to
 * the server as they are when the driver allows it (see raw-insert.ts); otherwise the batch is decoded
 * once, without type promotion, and sent with `insertMany` (which encodes it again, byte for byte).
 * On a retry, duplicate-key errors mean the failed attempt had already written those documents (the
 * `_id`s of one dump are unique), so they count as written. Any other write error fails the batch.
 *
 * @param bytes - total size of `batch`, in bytes
 * @returns the number of documents now in the collection from this batch
 * @throws TargetError `TARGET_WRITE_FAILED`
 */
export async function insertBatch(
  collection: Collection,
  batch: readonly Uint8Array[],
  bytes: number,
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<number> {
  let decoded: Document[] | null = null;
  const documents = (): Document[] => (decoded ??= decodeBatch(batch));
  try {
    return await withRetry((attempt) => insertOnce(collection, batch, bytes, documents, attempt > 1), {
      isRetryable: untilSecondTimeout(isTransientMongoError),
      onRetry: (error, attempt, delayMs) => onRetry?.(attempt, delayMs, (error as Error).message),
    });
  } catch (error) {
    throw new TargetError(
      'TARGET_WRITE_FAILED',
      `inserting into ${collection.collectionName} failed: ${(error as Error).message}`,
      {
        hint: 'the old collection is untouched; rerun once the cause is fixed',
        subject: { namespace: collection.namespace },
        cause: error,
      },
    );
  }
}

/** One attempt. `retried`: an earlier attempt may have written part of the batch. */
async function insertOnce(
  collection: Collection,
  batch: readonly Uint8Array[],
  bytes: number,
  documents: () => Document[],
  retried: boolean,
): Promise<number> {
  if (canSendRaw(batch, bytes)) {
    try {
      const reply = await insertRaw(collection, batch);
      if (reply.writeConcernError !== null)
        throw new RawWriteError(`write concern error: ${reply.writeConcernError}`);
      if (reply.writeErrors.length === 0) return reply.n;
      if (retried && reply.writeErrors.every((e) => e.code === DUPLICATE_KEY)) return batch.length;
      const first = reply.writeErrors[0];
      throw new RawWriteError(
        `${reply.writeErrors.length} write error(s), the first: ${first?.errmsg ?? ''} (code ${String(first?.code)})`,
      );
    } catch (error) {
      if (error instanceof RawWriteError || error instanceof MongoServerError || isTransientMongoError(error))
        throw error;
      // The driver's internals did not behave as expected: decode from now on. The batch may have
      // reached the server, so this attempt counts as a retry (duplicates are documents written).
      disableRawInserts();
      retried = true;
    }
  }
  try {
    const res = await collection.insertMany(documents(), { ordered: false, bypassDocumentValidation: true });
    return res.insertedCount;
  } catch (error) {
    if (retried && error instanceof MongoBulkWriteError) {
      const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY)) return batch.length;
    }
    throw error;
  }
}
