import { BSON, EJSON } from 'bson';
import type { MongoClient } from 'mongodb';

/**
 * The raw BSON bytes of every document of a collection, as the server returns them, keyed by the
 * canonical Extended JSON of `_id`: for per-document byte comparisons.
 */
export async function rawById(client: MongoClient, db: string, coll: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for await (const raw of client.db(db).collection(coll).find({}, { raw: true })) {
    const buf = Buffer.from(raw as unknown as Uint8Array);
    out.set(EJSON.stringify(BSON.deserialize(buf, { promoteValues: false })._id, { relaxed: false }), buf);
  }
  return out;
}
