import type { Db } from 'mongodb';

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
