import { tmpdir } from 'node:os';
import Database from 'better-sqlite3';
import { BSON, EJSON, type Document } from 'bson';
import sift from 'sift';
import type { DumpEventStream } from '../core/dump-event.js';
import { referenceKey, valuesAt } from '../mongodb/reference-key.js';
import { openScratchSqlite } from '../subset/scratch-sqlite.js';
import type { SubsetSpec } from '../subset/subset-spec.js';
import type { ClosureDocument, KeyedValue, SubsetReader } from '../subset/subset-reader.js';

/** A {@link SubsetReader} over an indexed dump, with the files it owns. */
export interface DumpSubsetReader extends SubsetReader {
  /** Documents indexed, per collection. */
  readonly indexed: ReadonlyMap<string, number>;
  close(): void;
}

/**
 * `docs`: one row per document, its `_id` and its values at the relations' paths (BSON `{id, v:
 * [[path, key, value], …]}`), so a document is read back with one lookup; `vals`: the values again,
 * keyed for "which documents hold this value at this path"; `roots`: documents matching each root.
 */
const SCHEMA = `
  CREATE TABLE docs (c TEXT NOT NULL, k TEXT NOT NULL, doc BLOB NOT NULL, PRIMARY KEY (c, k)) WITHOUT ROWID;
  CREATE TABLE vals (c TEXT NOT NULL, p TEXT NOT NULL, vk TEXT NOT NULL, k TEXT NOT NULL, PRIMARY KEY (c, p, vk, k)) WITHOUT ROWID;
  CREATE TABLE roots (seq INTEGER PRIMARY KEY, r INTEGER NOT NULL, k TEXT NOT NULL);
`;
const INDEXES = `CREATE INDEX roots_by_root ON roots (r, seq);`;

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
  const scratch = openScratchSqlite('dbfork-subset-index-', parent);
  const sqlite = scratch.db;
  try {
    sqlite.exec(SCHEMA);
    const indexed = await fill(sqlite, events, db, spec);
    sqlite.exec(INDEXES);
    return reader(sqlite, spec, indexed, () => scratch.dispose());
  } catch (error) {
    scratch.dispose();
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
  const addVal = sqlite.prepare<[string, string, string, string]>(
    'INSERT OR IGNORE INTO vals VALUES (?, ?, ?, ?)',
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
    const found: [string, string, unknown][] = [];
    for (const path of wanted)
      for (const value of valuesAt(doc, path.split('.'))) {
        const valueKey = referenceKey(value);
        found.push([path, valueKey, value]);
        addVal.run(collection, path, valueKey, key);
      }
    addDoc.run(collection, key, Buffer.from(BSON.serialize({ id: doc['_id'], v: found })));
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
  const docOf = sqlite.prepare<[string, string], { doc: Buffer }>(
    'SELECT doc FROM docs WHERE c = ? AND k = ?',
  );
  const matching = sqlite.prepare<[string, string, string], { k: string }>(
    'SELECT DISTINCT k FROM vals WHERE c = ? AND p = ? AND vk IN (SELECT value FROM json_each(?))',
  );
  const view = (collection: string, key: string, paths: readonly string[]): ClosureDocument => {
    const stored = BSON.deserialize(docOf.get(collection, key)!.doc, {
      promoteLongs: false,
      bsonRegExp: true,
    });
    const values = new Map<string, KeyedValue[]>(paths.map((p) => [p, []]));
    for (const [path, valueKey, value] of stored['v'] as [string, string, unknown][])
      values.get(path)?.push({ key: valueKey, value });
    return { id: { key, value: stored['id'] }, values };
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

/**
 * The `_id` of a document's raw BSON: decoded alone when it is the first element (as in every dump
 * mongodump or dbfork writes), else from the whole document.
 */
export function documentId(bson: Uint8Array): unknown {
  const options = { promoteLongs: false, bsonRegExp: true } as const;
  if (bson[4] !== 0 && bson[5] === 0x5f && bson[6] === 0x69 && bson[7] === 0x64 && bson[8] === 0) {
    const end = elementEnd(bson, 4);
    if (end !== undefined) {
      const mini = new Uint8Array(end - 4 + 5);
      new DataView(mini.buffer).setInt32(0, mini.length, true);
      mini.set(bson.subarray(4, end), 4);
      return BSON.deserialize(mini, options)['_id'];
    }
  }
  return BSON.deserialize(bson, options)['_id'];
}

/** Where the element at `at` (type byte, name, value) ends, for the fixed-size and sized types. */
function elementEnd(bson: Uint8Array, at: number): number | undefined {
  const type = bson[at]!;
  let i = at + 1;
  while (i < bson.length && bson[i] !== 0) i++;
  i++;
  const view = new DataView(bson.buffer, bson.byteOffset, bson.byteLength);
  const fixed: Record<number, number> = {
    0x01: 8,
    0x07: 12,
    0x08: 1,
    0x09: 8,
    0x10: 4,
    0x11: 8,
    0x12: 8,
    0x13: 16,
  };
  if (fixed[type] !== undefined) return i + fixed[type];
  if (type === 0x02 || type === 0x0d || type === 0x0e) return i + 4 + view.getInt32(i, true);
  if (type === 0x03 || type === 0x04) return i + view.getInt32(i, true);
  if (type === 0x05) return i + 5 + view.getInt32(i, true);
  return undefined;
}
