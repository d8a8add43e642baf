import type { Document } from 'bson';
import type { MongoClient } from 'mongodb';
import { isDbforkBookkeeping } from '../core/own-collections.js';
import type { RelationSampler, SampledField } from '../subset/relation-sampler.js';
import type { KeyedValue } from '../subset/subset-reader.js';
import { connectMongo } from './connect.js';
import { bsonTypeOf, referenceKey } from './reference-key.js';

/** Longest string taken for a reference (longer ones are text, not keys). */
const MAX_KEY_STRING = 64;

/** A {@link RelationSampler} over one database, with the connection it owns. */
export interface MongoRelationSampler extends RelationSampler {
  close(): Promise<void>;
}

/**
 * Open a relation sampler on `db` (source defaults: `secondaryPreferred`). Samples are the first N
 * documents in natural order; probes are `distinct` with `$in`; duplicates an aggregation that stops
 * at the first repeated value.
 *
 * @throws SourceError `SOURCE_UNREACHABLE` when no server answers
 */
export async function openRelationSampler(uri: string, db: string): Promise<MongoRelationSampler> {
  const client: MongoClient = await connectMongo(uri, { role: 'source' });
  const database = client.db(db);
  return {
    async collections() {
      const infos = await database.listCollections({}, { nameOnly: false }).toArray();
      return infos
        .filter(
          (i) =>
            (i.type ?? 'collection') === 'collection' &&
            !i.name.startsWith('system.') &&
            !isDbforkBookkeeping(i.name),
        )
        .map((i) => i.name)
        .sort();
    },
    async sample(collection, size) {
      const fields = new Map<string, KeyedValue[]>();
      const holders = new Map<string, number>();
      let documents = 0;
      for await (const doc of database.collection(collection).find({}, { limit: size })) {
        documents++;
        const own = new Map<string, KeyedValue[]>();
        collect(doc, '', own);
        for (const [path, values] of own) {
          const all = fields.get(path);
          if (all) all.push(...values);
          else fields.set(path, values);
          holders.set(path, (holders.get(path) ?? 0) + 1);
        }
      }
      return {
        documents,
        fields: [...fields].map(([path, values]): SampledField => ({
          path,
          values,
          documents: holders.get(path) ?? 0,
        })),
      };
    },
    async uniqueFields(collection) {
      const indexes = await database.collection(collection).listIndexes().toArray();
      const single = indexes.filter((i) => Object.keys(i['key'] as Document).length === 1);
      return [
        '_id',
        ...single
          .filter((i) => i['unique'] === true)
          .map((i) => Object.keys(i['key'] as Document)[0] as string),
      ];
    },
    async matching(collection, path, values) {
      const found = await database.collection(collection).distinct(path, { [path]: { $in: [...values] } });
      const wanted = new Set(values.map((v) => keyOf(v)));
      return new Set(found.map((v) => keyOf(v)).filter((k) => wanted.has(k))).size;
    },
    async hasDuplicates(collection, path) {
      const repeated = await database
        .collection(collection)
        .aggregate([
          { $group: { _id: `$${path}`, n: { $sum: 1 } } },
          { $match: { n: { $gt: 1 } } },
          { $limit: 1 },
        ])
        .toArray();
      return repeated.length > 0;
    },
    close: () => client.close(),
  };
}

function collect(value: unknown, path: string, into: Map<string, KeyedValue[]>): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, path, into);
    return;
  }
  if (isReference(value)) {
    let list = into.get(path);
    if (!list) into.set(path, (list = []));
    list.push({ key: keyOf(value), value });
    return;
  }
  if (value !== null && typeof value === 'object' && bsonTypeOf(value) === undefined)
    for (const [k, v] of Object.entries(value)) collect(v, path === '' ? k : `${path}.${k}`, into);
}

/** Values of the kinds references hold: ObjectId, binary (UUID), integers, short strings. */
function isReference(value: unknown): boolean {
  const type = bsonTypeOf(value);
  if (type === 'ObjectId' || type === 'Binary' || type === 'Int32' || type === 'Long') return true;
  if (typeof value === 'number') return Number.isInteger(value);
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_KEY_STRING;
}

const keyOf = referenceKey;
