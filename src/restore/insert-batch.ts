import { MongoBulkWriteError, type Collection, type Document } from 'mongodb';
import { withRetry } from '../core/retry.js';
import { TargetError } from '../errors/index.js';

const DUPLICATE_KEY = 11000;

/**
 * Insert one batch, unordered, retrying transient failures. On a retry, duplicate-key errors mean the
 * failed attempt had already written those documents (the `_id`s of one dump are unique), so they count
 * as written. Any other write error fails the batch.
 *
 * @returns the number of documents now in the collection from this batch
 * @throws TargetError `TARGET_WRITE_FAILED`
 */
export async function insertBatch(
  collection: Collection,
  docs: Document[],
  onRetry?: (attempt: number, delayMs: number, reason: string) => void,
): Promise<number> {
  try {
    return await withRetry(
      async (attempt) => {
        try {
          const res = await collection.insertMany(docs, { ordered: false, bypassDocumentValidation: true });
          return res.insertedCount;
        } catch (error) {
          if (attempt > 1 && error instanceof MongoBulkWriteError) {
            const errors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
            if (errors.length > 0 && errors.every((e) => e.code === DUPLICATE_KEY)) return docs.length;
          }
          throw error;
        }
      },
      { onRetry: (error, attempt, delayMs) => onRetry?.(attempt, delayMs, (error as Error).message) },
    );
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
