import type { MongoClient } from 'mongodb';

/** What a reader of a target sees under one collection name, for dumps of `{ marker }` documents. */
export type CollectionState = 'complete-old' | 'complete-new' | 'absent' | `partial(${string})`;

/**
 * The state of collection `name` in `db`: every document marked `old` (and `oldDocs` of them), every
 * one marked `new` (`newDocs`), absent, or anything else (partial: a mix or a count that is off).
 */
export async function collectionState(
  client: MongoClient,
  db: string,
  name: string,
  oldDocs: number,
  newDocs: number,
): Promise<CollectionState> {
  if ((await client.db(db).listCollections({ name }).toArray()).length === 0) return 'absent';
  const coll = client.db(db).collection(name);
  const total = await coll.countDocuments();
  const old = await coll.countDocuments({ marker: 'old' });
  const fresh = await coll.countDocuments({ marker: 'new' });
  if (total === oldDocs && old === oldDocs) return 'complete-old';
  if (total === newDocs && fresh === newDocs) return 'complete-new';
  return `partial(${total} docs: ${old} old, ${fresh} new)`;
}

/** True when every state is complete-old or complete-new. */
export function oldOrNew(states: readonly CollectionState[]): boolean {
  return states.every((s) => s === 'complete-old' || s === 'complete-new');
}
