import type { Document } from 'bson';
import type { Db, MongoClient } from 'mongodb';
import { backoffDelay } from '../core/retry.js';
import { SourceError } from '../errors/index.js';
import type { ReadPreference } from '../source/snapshot-source.js';
import type { ClosureDocument, KeyedValue, SubsetReader } from '../subset/subset-reader.js';
import { isTransientMongoError } from './classify-mongo-error.js';
import { connectMongo } from './connect.js';
import { referenceKey, valuesAt } from './reference-key.js';

/** Documents per cursor batch. */
const BATCH_SIZE = 1000;
/** Attempts per query, including the first. */
const ATTEMPTS = 5;

/** A {@link SubsetReader} over one database, with the connection it owns. */
export interface MongoSubsetReader extends SubsetReader {
  close(): Promise<void>;
}

/**
 * Open a subset reader on `db`: `find` with `$in` on the related field (indexed where the
 * application indexed it), projected to `_id` and the related paths, on the source's read
 * preference (default `secondaryPreferred`). A transient failure retries the whole query, which is
 * safe: the closure ignores documents it already holds. Documents stream, projected, one batch in memory.
 *
 * @throws SourceError `SOURCE_UNREACHABLE` when no server answers
 */
export async function openSubsetReader(
  uri: string,
  db: string,
  readPreference?: ReadPreference,
): Promise<MongoSubsetReader> {
  const client: MongoClient = await connectMongo(uri, {
    role: 'source',
    ...(readPreference ? { readPreference } : {}),
  });
  const database: Db = client.db(db);
  const query = async function* (collection: string, filter: Document, paths: readonly string[], limit = 0) {
    const projection = Object.fromEntries([['_id', 1], ...paths.map((p) => [p, 1])]);
    for (let attempt = 1; ; attempt++) {
      const cursor = database
        .collection(collection)
        .find(filter, { projection, sort: { _id: 1 }, limit, batchSize: BATCH_SIZE });
      try {
        for await (const doc of cursor) yield closureDocument(doc, paths);
        return;
      } catch (error) {
        if (attempt >= ATTEMPTS || !isTransientMongoError(error))
          throw new SourceError('SOURCE_READ_FAILED', `cannot read ${db}.${collection} for the subset`, {
            subject: { namespace: `${db}.${collection}` },
            hint: 'check the source is reachable and the user may read the collection',
            cause: error,
          });
        await new Promise((resolve) => setTimeout(resolve, backoffDelay(attempt, 200, 5000)));
      } finally {
        await cursor.close().catch(() => undefined);
      }
    }
  };
  return {
    roots: (collection, filter, limit, paths) => query(collection, filter, paths, limit),
    match: (collection, path, values, paths) => query(collection, { [path]: { $in: [...values] } }, paths),
    close: () => client.close(),
  };
}

function closureDocument(doc: Document, paths: readonly string[]): ClosureDocument {
  return {
    id: keyed(doc['_id']),
    values: new Map(paths.map((p) => [p, valuesAt(doc, p.split('.')).map(keyed)])),
  };
}

function keyed(value: unknown): KeyedValue {
  return { key: referenceKey(value), value };
}
