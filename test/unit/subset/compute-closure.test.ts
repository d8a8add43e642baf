import { describe, expect, it } from 'vitest';
import { computeClosure } from '../../../src/subset/compute-closure.js';
import { relationsFrom } from '../../../src/subset/relation.js';
import type { ClosureDocument, KeyedValue, SubsetReader } from '../../../src/subset/subset-reader.js';
import type { SubsetSpec } from '../../../src/subset/subset-spec.js';

type Doc = Record<string, unknown> & { _id: unknown };

/** The SubsetReader port over in-memory collections (the closure is pure; the adapter is tested live). */
function memoryReader(data: Record<string, Doc[]>): SubsetReader & { queries: number } {
  const key = (v: unknown): KeyedValue => ({ key: JSON.stringify(v), value: v });
  const at = (doc: Doc, path: string): unknown[] => {
    const v = doc[path];
    return v === undefined ? [] : Array.isArray(v) ? v : [v];
  };
  const view = (doc: Doc, paths: readonly string[]): ClosureDocument => ({
    id: key(doc._id),
    values: new Map(paths.map((p) => [p, at(doc, p).map(key)])),
  });
  const reader = {
    queries: 0,
    async *roots(c: string, q: Readonly<Record<string, unknown>>, limit: number, paths: readonly string[]) {
      reader.queries++;
      const hits = (data[c] ?? []).filter((d) => Object.entries(q).every(([k, v]) => d[k] === v));
      for (const d of limit > 0 ? hits.slice(0, limit) : hits) yield view(d, paths);
    },
    async *match(c: string, path: string, values: readonly unknown[], paths: readonly string[]) {
      reader.queries++;
      const wanted = new Set(values.map((v) => JSON.stringify(v)));
      for (const d of data[c] ?? [])
        if (at(d, path).some((v) => wanted.has(JSON.stringify(v)))) yield view(d, paths);
    },
  };
  return reader;
}

const spec = (over: Partial<SubsetSpec>): SubsetSpec => ({
  roots: [],
  rootLimit: 0,
  follow: 'parents',
  relations: [],
  maxDocuments: {},
  ...over,
});

const ids = (sel: Awaited<ReturnType<typeof computeClosure>>, c: string) => [...sel.ids(c, 2)].flat().sort();

describe('computeClosure', () => {
  const shop = {
    customers: [
      { _id: 'c1', accounts: [1, 2] },
      { _id: 'c2', accounts: [2, 3] },
      { _id: 'c3', accounts: [4] },
    ],
    accounts: [
      { _id: 'a1', account_id: 1 },
      { _id: 'a2', account_id: 2 },
      { _id: 'a3', account_id: 3 },
      { _id: 'a4', account_id: 4 },
    ],
  };
  const relations = relationsFrom([{ from: 'customers.accounts', to: 'accounts.account_id' }]);

  it('parents: exactly the accounts the root customers list, nothing dangling', async () => {
    const sel = await computeClosure(
      spec({ roots: [{ collection: 'customers', query: { _id: 'c1' } }], relations }),
      memoryReader(shop),
    );
    expect(ids(sel, 'customers')).toEqual(['c1']);
    expect(ids(sel, 'accounts')).toEqual(['a1', 'a2']);
    expect(sel.dangling).toEqual([
      { relation: 'customers.accounts → accounts.account_id', references: 2, dangling: 0, examples: [] },
    ]);
  });

  it('children from accounts: exactly the customers that list them', async () => {
    const sel = await computeClosure(
      spec({ roots: [{ collection: 'accounts', query: { account_id: 2 } }], relations, follow: 'children' }),
      memoryReader(shop),
    );
    expect(ids(sel, 'customers')).toEqual(['c1', 'c2']);
    // children only: the other accounts c1 and c2 list are not followed, and say so
    expect(sel.dangling[0]).toMatchObject({ references: 4, dangling: 2 });
  });

  it('both: reaches the connected component and stops', async () => {
    const sel = await computeClosure(
      spec({ roots: [{ collection: 'accounts', query: { account_id: 1 } }], relations, follow: 'both' }),
      memoryReader(shop),
    );
    expect(ids(sel, 'customers')).toEqual(['c1', 'c2']);
    expect(ids(sel, 'accounts')).toEqual(['a1', 'a2', 'a3']);
    expect(sel.dangling[0]?.dangling).toBe(0);
  });

  it('a chain of three collections and a cycle A → B → A reach a fixed point', async () => {
    const data = {
      a: [
        { _id: 1, b: 10 },
        { _id: 2, b: 20 },
      ],
      b: [
        { _id: 10, c: 100, a: 2 },
        { _id: 20, c: 200, a: 1 },
      ],
      c: [{ _id: 100 }, { _id: 200 }, { _id: 300 }],
    };
    const rel = relationsFrom([
      { from: 'a.b', to: 'b._id' },
      { from: 'b.c', to: 'c._id' },
      { from: 'b.a', to: 'a._id' },
    ]);
    const reader = memoryReader(data);
    const sel = await computeClosure(
      spec({ roots: [{ collection: 'a', query: { _id: 1 } }], relations: rel }),
      reader,
    );
    expect(ids(sel, 'a')).toEqual([1, 2]);
    expect(ids(sel, 'b')).toEqual([10, 20]);
    expect(ids(sel, 'c')).toEqual([100, 200]);
    expect(sel.dangling.every((d) => d.dangling === 0)).toBe(true);
    expect(sel.rounds).toBeLessThanOrEqual(5);
    expect(reader.queries).toBeLessThan(12);
  });

  it('a bound cuts the closure and the cut references are reported as dangling', async () => {
    const sel = await computeClosure(
      spec({ roots: [{ collection: 'customers', query: {} }], relations, maxDocuments: { accounts: 2 } }),
      memoryReader(shop),
    );
    expect(ids(sel, 'accounts')).toHaveLength(2);
    const accounts = sel.collections.find((c) => c.collection === 'accounts');
    expect(accounts?.refused).toBe(2);
    expect(sel.dangling[0]).toMatchObject({ references: 5 });
    expect(sel.dangling[0]?.dangling).toBeGreaterThan(0);
  });

  it('compares values by type: a number never matches its string', async () => {
    const sel = await computeClosure(
      spec({
        roots: [{ collection: 'x', query: {} }],
        relations: relationsFrom([{ from: 'x.y', to: 'y._id' }]),
      }),
      memoryReader({ x: [{ _id: 1, y: '7' }], y: [{ _id: 7 }] }),
    );
    expect(ids(sel, 'y')).toEqual([]);
    expect(sel.dangling[0]).toMatchObject({ references: 1, dangling: 1, examples: ['"7"'] });
  });
});
