import { deserialize, type Timestamp } from 'bson';
import type { Db, Document } from 'mongodb';
import type { OplogNamespaceResolver, OplogReplayResult } from '../target/oplog-replay.js';
import { applyOplogDiff } from './apply-oplog-diff.js';

const LOSSLESS = {
  promoteLongs: false,
  promoteValues: false,
  promoteBuffers: false,
  bsonRegExp: true,
} as const;

/** Namespaces whose entries a replay never applies: the deployment's own state. */
function isSystemNamespace(ns: string): boolean {
  return ns.startsWith('admin.') || ns.startsWith('config.') || ns.startsWith('local.');
}

const isDiff = (o: Document): boolean =>
  o.$v !== undefined && Number((o.$v as { valueOf(): unknown }).valueOf()) === 2;

/**
 * Apply one raw oplog entry (as `mongodump --oplog` stores it) to the collections it was loaded
 * into, with ordinary writes, so that servers without `applyOps` (FerretDB) take it and a retried
 * replay gives the same result:
 * - `i`: replace by `_id` with upsert;
 * - `u` replacement: replace by `o2` with upsert; `$set`/`$unset`: `updateOne(o2, o)`; `$v: 2` diff:
 *   read the document, apply the diff ({@link applyOplogDiff}), replace it (a missing one is skipped,
 *   as its later delete or the snapshot decides it);
 * - `d`: `deleteOne(o)`;
 * - `c` with `applyOps`: each nested entry in order; other commands and `n` no-ops are skipped, and so
 *   are entries of `admin.*`, `config.*`, `local.*` and of namespaces not restored.
 * Counts go into `result`.
 */
export async function replayOplogEntry(
  db: Db,
  bytes: Uint8Array,
  resolve: OplogNamespaceResolver,
  result: OplogReplayResult,
): Promise<void> {
  const entry = deserialize(bytes, LOSSLESS);
  const ts = entry.ts as Timestamp | undefined;
  if (ts && typeof ts.high === 'number') result.lastOptime = `Timestamp(${ts.high >>> 0}, ${ts.low >>> 0})`;
  await apply(db, entry, resolve, result);
}

async function apply(
  db: Db,
  entry: Document,
  resolve: OplogNamespaceResolver,
  result: OplogReplayResult,
): Promise<void> {
  const o = entry.o as Document | undefined;
  const ns = typeof entry.ns === 'string' ? entry.ns : '';
  if (entry.op === 'c' && o && Array.isArray(o.applyOps)) {
    for (const nested of o.applyOps as Document[]) await apply(db, nested, resolve, result);
    return;
  }
  const temp = entry.op === 'i' || entry.op === 'u' || entry.op === 'd' ? resolve(ns) : null;
  if (!temp || !o || isSystemNamespace(ns)) {
    result.skipped++;
    return;
  }
  const collection = db.collection(temp);
  if (entry.op === 'i') {
    await collection.replaceOne({ _id: o._id }, o, { upsert: true });
    result.inserted++;
  } else if (entry.op === 'd') {
    await collection.deleteOne(o);
    result.deleted++;
  } else {
    const filter = (entry.o2 as Document | undefined) ?? { _id: o._id };
    if (!Object.keys(o).some((k) => k.startsWith('$'))) {
      await collection.replaceOne(filter, o, { upsert: true });
    } else if (isDiff(o)) {
      const current = await collection.findOne(filter, { promoteValues: false, bsonRegExp: true });
      if (!current) {
        result.skipped++;
        return;
      }
      applyOplogDiff(current, o.diff as Document);
      await collection.replaceOne(filter, current);
    } else {
      const update: Document = {};
      if (o.$set && Object.keys(o.$set as Document).length > 0) update.$set = o.$set;
      if (o.$unset && Object.keys(o.$unset as Document).length > 0) update.$unset = o.$unset;
      if (Object.keys(update).length > 0) await collection.updateOne(filter, update);
    }
    result.updated++;
  }
}
