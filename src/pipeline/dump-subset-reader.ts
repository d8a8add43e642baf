import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BSON, EJSON, type Document } from 'bson';
import sift from 'sift';
import type { DumpEventStream } from '../core/dump-event.js';
import { referenceKey, valuesAt } from '../mongodb/reference-key.js';
import type { SubsetSpec } from '../subset/subset-spec.js';
import type { ClosureDocument, KeyedValue, SubsetReader } from '../subset/subset-reader.js';

/** A {@link SubsetReader} over an indexed dump, with the files it owns. */
export interface DumpSubsetReader extends SubsetReader {
  /** Documents indexed, per collection. */
  readonly indexed: ReadonlyMap<string, number>;
  close(): void;
}

const SCHEMA = `
  CREATE TABLE docs (c TEXT NOT NULL, k TEXT NOT NULL, id BLOB NOT NULL, PRIMARY KEY (c, k)) WITHOUT ROWID;
  CREATE TABLE vals (c TEXT NOT NULL, p TEXT NOT NULL, vk TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL);
  CREATE TABLE roots (seq INTEGER PRIMARY KEY, r INTEGER NOT NULL, k TEXT NOT NULL);
`;
const INDEXES = `
  CREATE INDEX vals_by_value ON vals (c, p, vk);
  CREATE INDEX vals_by_doc ON vals (c, k);
  CREATE INDEX roots_by_root ON roots (r, seq);
`;

/**
 * Index one pass of a dump (a snapshot's or a dump file's documents, as they stream) so the closure
 * can run on it as it runs on a live source: for each document of a collection that a root or a
 * relation names, its `_id`, the values at the relations' paths, and whether it matches each root's
 * query (MongoDB's query language, evaluated by `sift` on the decoded document). The index is an
 * SQLite database in a fresh temporary folder: memory stays flat whatever the dump's size.
 *
 * Roots are taken in the dump's order, which for a dbfork snapshot is `_id` order (captures read
 * collections sorted by `_id`), so `--subset-limit` picks the same documents as on the source.
 *
 * @param db the dump's database, asked once its prelude has passed (documents of others are ignored)
 * @throws ArchiveError from the stream
 */
export async function indexDumpForSubset(
  events: DumpEventStream,
  db: () => string,
  spec: SubsetSpec,
  parent = tmpdir(),
): Promise<DumpSubsetReader> {
  const dir = mkdtempSync(join(parent, 'dbfork-subset-index-'));
  const sqlite = new Database(join(dir, 'index.sqlite'));
  try {
    sqlite.pragma('journal_mode = OFF');
    sqlite.pragma('synchronous = OFF');
    sqlite.pragma('cache_size = -8192');
    sqlite.exec(SCHEMA);
    const indexed = await fill(sqlite, events, db, spec);
    sqlite.exec(INDEXES);
    return reader(sqlite, spec, indexed, () => {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    });
  } catch (error) {
    sqlite.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function fill(
  sqlite: Database.Database,
  events: DumpEventStream,
  db: () => string,
  spec: SubsetSpec,
): Promise<Map<string, number>> {
  const paths = pathsByCollection(spec);
  const roots = spec.roots.map((r) => ({
    collection: r.collection,
    test: sift.default(r.query as Document),
  }));
  const addDoc = sqlite.prepare<[string, string, Buffer]>('INSERT OR IGNORE INTO docs VALUES (?, ?, ?)');
  const addVal = sqlite.prepare<[string, string, string, string, Buffer]>(
    'INSERT INTO vals VALUES (?, ?, ?, ?, ?)',
  );
  const addRoot = sqlite.prepare<[number, string]>('INSERT INTO roots (r, k) VALUES (?, ?)');
  const indexed = new Map<string, number>();
  let inTransaction = 0;
  sqlite.exec('BEGIN');
  for await (const event of events) {
    if (event.type !== 'document' || event.namespace.db !== db()) continue;
    const collection = event.namespace.collection;
    const wanted = paths.get(collection);
    if (wanted === undefined) continue;
    const doc = BSON.deserialize(event.bson, { promoteLongs: false, bsonRegExp: true });
    const key = referenceKey(doc['_id']);
    addDoc.run(collection, key, encode(doc['_id']));
    for (const path of wanted)
      for (const value of valuesAt(doc, path.split('.')))
        addVal.run(collection, path, referenceKey(value), key, encode(value));
    roots.forEach((root, r) => {
      if (root.collection === collection && root.test(doc)) addRoot.run(r, key);
    });
    indexed.set(collection, (indexed.get(collection) ?? 0) + 1);
    if (++inTransaction >= 1000) {
      sqlite.exec('COMMIT; BEGIN');
      inTransaction = 0;
    }
  }
  sqlite.exec('COMMIT');
  return indexed;
}

function reader(
  sqlite: Database.Database,
  spec: SubsetSpec,
  indexed: Map<string, number>,
  close: () => void,
): DumpSubsetReader {
  const rootsOf = sqlite.prepare<[number, number], { k: string }>(
    'SELECT k FROM roots WHERE r = ? ORDER BY seq LIMIT ?',
  );
  const idOf = sqlite.prepare<[string, string], { id: Buffer }>('SELECT id FROM docs WHERE c = ? AND k = ?');
  const valuesOf = sqlite.prepare<[string, string], { p: string; vk: string; v: Buffer }>(
    'SELECT p, vk, v FROM vals WHERE c = ? AND k = ?',
  );
  const matching = sqlite.prepare<[string, string, string], { k: string }>(
    'SELECT DISTINCT k FROM vals WHERE c = ? AND p = ? AND vk IN (SELECT value FROM json_each(?))',
  );
  const view = (collection: string, key: string, paths: readonly string[]): ClosureDocument => {
    const values = new Map<string, KeyedValue[]>(paths.map((p) => [p, []]));
    for (const row of valuesOf.all(collection, key))
      values.get(row.p)?.push({ key: row.vk, value: decode(row.v) });
    return { id: { key, value: decode(idOf.get(collection, key)!.id) }, values };
  };
  return {
    indexed,
    async *roots(collection, query, limit, paths) {
      const r = spec.roots.findIndex(
        (root) => root.collection === collection && EJSON.stringify(root.query) === EJSON.stringify(query),
      );
      for (const row of rootsOf.all(r, limit > 0 ? limit : -1)) yield view(collection, row.k, paths);
    },
    async *match(collection, path, values, paths) {
      const keys = JSON.stringify(values.map(referenceKey));
      for (const row of matching.all(collection, path, keys)) yield view(collection, row.k, paths);
    },
    close,
  };
}

/** Every path of each collection that a relation reads; root collections with none too. */
function pathsByCollection(spec: SubsetSpec): Map<string, string[]> {
  const out = new Map<string, Set<string>>();
  const at = (c: string) => out.get(c) ?? out.set(c, new Set()).get(c)!;
  for (const root of spec.roots) at(root.collection);
  for (const r of spec.relations) {
    at(r.from.collection).add(r.from.path);
    at(r.to.collection).add(r.to.path);
  }
  return new Map([...out].map(([c, p]) => [c, [...p]]));
}

const encode = (value: unknown) => Buffer.from(BSON.serialize({ v: value }));
const decode = (bytes: Buffer): unknown =>
  BSON.deserialize(bytes, { promoteLongs: false, bsonRegExp: true })['v'];
