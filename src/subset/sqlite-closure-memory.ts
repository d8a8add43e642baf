import { BSON } from 'bson';
import type { ClosureMemory, QueuedValue, UnmatchedTally } from './closure-memory.js';
import { openScratchSqlite } from './scratch-sqlite.js';
import type { KeyedValue } from './subset-reader.js';

const SCHEMA = `
  CREATE TABLE keys (s TEXT NOT NULL, k TEXT NOT NULL, PRIMARY KEY (s, k)) WITHOUT ROWID;
  CREATE TABLE tallies (s TEXT NOT NULL, k TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (s, k)) WITHOUT ROWID;
  CREATE TABLE selected (c TEXT NOT NULL, k TEXT NOT NULL, id BLOB NOT NULL, PRIMARY KEY (c, k)) WITHOUT ROWID;
  CREATE TABLE queue (seq INTEGER PRIMARY KEY, q TEXT NOT NULL, k TEXT NOT NULL, v BLOB NOT NULL, depth INTEGER NOT NULL);
  CREATE INDEX queue_by_name ON queue (q, seq);
`;

/**
 * {@link ClosureMemory} in an SQLite database (better-sqlite3) in a fresh temporary folder, removed on
 * {@link close}: memory stays at the page cache (8 MiB) however many keys a subset holds. Values are
 * kept as BSON (`{v: value}`), so an `_id` reads back with its exact type. The store is scratch space,
 * so it runs without a journal or fsync: a crash loses nothing that a rerun would not recompute.
 *
 * @param parent where the temporary folder goes (default: the OS temporary folder, `TMPDIR`)
 */
export function openSqliteClosureMemory(parent?: string): ClosureMemory {
  const scratch = openScratchSqlite('dbfork-subset-', parent);
  const db = scratch.db;
  db.exec(SCHEMA);
  const addKey = db.prepare<[string, string]>('INSERT OR IGNORE INTO keys (s, k) VALUES (?, ?)');
  const addTally = db.prepare<[string, string, number]>(
    'INSERT INTO tallies (s, k, n) VALUES (?, ?, ?) ON CONFLICT (s, k) DO UPDATE SET n = n + excluded.n',
  );
  const addSelected = db.prepare<[string, string, Buffer]>(
    'INSERT OR IGNORE INTO selected (c, k, id) VALUES (?, ?, ?)',
  );
  const hasSelected = db
    .prepare<[string, string], number>('SELECT 1 FROM selected WHERE c = ? AND k = ?')
    .pluck();
  const pageSelected = db.prepare<[string, string, number], { k: string; id: Buffer }>(
    'SELECT k, id FROM selected WHERE c = ? AND k > ? ORDER BY k LIMIT ?',
  );
  const push = db.prepare<[string, string, Buffer, number]>(
    'INSERT INTO queue (q, k, v, depth) VALUES (?, ?, ?, ?)',
  );
  const oldest = db.prepare<[], { q: string; depth: number }>(
    'SELECT q, depth FROM queue ORDER BY seq LIMIT 1',
  );
  const take = db.prepare<[string, number, number], { seq: number; k: string; v: Buffer; depth: number }>(
    'SELECT seq, k, v, depth FROM queue WHERE q = ? AND depth = ? ORDER BY seq LIMIT ?',
  );
  const drop = db.prepare<[string, number]>('DELETE FROM queue WHERE q = ? AND seq <= ?');
  const unmatched = db.prepare<[string, string], { k: string; n: number }>(
    'SELECT t.k AS k, t.n AS n, EXISTS (SELECT 1 FROM keys WHERE s = ? AND k = t.k) AS hit FROM tallies t WHERE t.s = ?',
  );
  const counts = new Map<string, number>();
  let entries = 0;
  // Many small statements: one transaction per thousand writes keeps inserts fast without a journal.
  let pending = 0;
  const write = (run: () => number): number => {
    if (pending === 0) db.exec('BEGIN');
    const changed = run();
    if (++pending >= 1000) flush();
    return changed;
  };
  const flush = () => {
    if (pending > 0) db.exec('COMMIT');
    pending = 0;
  };
  const encode = (value: unknown) => Buffer.from(BSON.serialize({ v: value }));
  const decode = (bytes: Buffer): unknown =>
    BSON.deserialize(bytes, { promoteLongs: false, bsonRegExp: true })['v'];

  return {
    get entries() {
      return entries;
    },
    add(set, key) {
      const added = write(() => addKey.run(set, key).changes) > 0;
      if (added) entries++;
      return added;
    },
    tally(set, key, count) {
      write(() => addTally.run(set, key, count).changes);
      entries++;
    },
    select(collection: string, id: KeyedValue) {
      const added = write(() => addSelected.run(collection, id.key, encode(id.value)).changes) > 0;
      if (added) {
        entries++;
        counts.set(collection, (counts.get(collection) ?? 0) + 1);
      }
      return added;
    },
    isSelected(collection, key) {
      flush();
      return hasSelected.get(collection, key) !== undefined;
    },
    selectedCount: (collection) => counts.get(collection) ?? 0,
    *selectedIds(collection, size) {
      flush();
      for (let after = ''; ;) {
        const rows = pageSelected.all(collection, after, size);
        if (rows.length === 0) return;
        after = rows[rows.length - 1]!.k;
        yield rows.map((r) => decode(r.id));
      }
    },
    enqueue(queue, value: QueuedValue) {
      write(() => push.run(queue, value.key, encode(value.value), value.depth).changes);
      entries++;
    },
    dequeue(size) {
      flush();
      const head = oldest.get();
      if (!head) return undefined;
      const rows = take.all(head.q, head.depth, size);
      drop.run(head.q, rows[rows.length - 1]!.seq);
      entries -= rows.length;
      return {
        queue: head.q,
        values: rows.map((r) => ({ key: r.k, value: decode(r.v), depth: r.depth })),
      };
    },
    unmatched(references, targets, examples): UnmatchedTally {
      flush();
      let total = 0;
      let dangling = 0;
      const found: string[] = [];
      for (const row of unmatched.iterate(targets, references) as Iterable<{
        k: string;
        n: number;
        hit: number;
      }>) {
        total += row.n;
        if (row.hit) continue;
        dangling += row.n;
        if (found.length < examples) found.push(row.k);
      }
      return { references: total, dangling, examples: found };
    },
    close() {
      try {
        flush();
      } finally {
        scratch.dispose();
      }
    },
  };
}
