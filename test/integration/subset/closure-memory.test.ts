/**
 * One contract for every ClosureMemory: the heap, the SQLite on-disk index (better-sqlite3, a native
 * module, hence in the integration project) and the heap that spills to it past a threshold.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Long, ObjectId } from 'bson';
import { describe, expect, it } from 'vitest';
import type { ClosureMemory } from '../../../src/subset/closure-memory.js';
import { HeapClosureMemory } from '../../../src/subset/memory-closure-memory.js';
import { spillingClosureMemory } from '../../../src/subset/spilling-closure-memory.js';
import { openSqliteClosureMemory } from '../../../src/subset/sqlite-closure-memory.js';

const parent = mkdtempSync(join(tmpdir(), 'closure-memory-test-'));
const kinds: Record<string, () => ClosureMemory> = {
  heap: () => new HeapClosureMemory(),
  sqlite: () => openSqliteClosureMemory(parent),
  'heap spilling to sqlite after 3 entries': () =>
    spillingClosureMemory(3, () => openSqliteClosureMemory(parent)),
};

describe.each(Object.entries(kinds))('ClosureMemory contract: %s', (_name, open) => {
  it('adds a key once and tallies every occurrence', () => {
    const m = open();
    expect([m.add('s', 'a'), m.add('s', 'b'), m.add('s', 'a'), m.add('t', 'a')]).toEqual([
      true,
      true,
      false,
      true,
    ]);
    m.tally('refs', 'a', 1);
    m.tally('refs', 'a', 2);
    m.tally('refs', 'x', 1);
    m.tally('refs', 'y', 4);
    expect(m.unmatched('refs', 's', 5)).toEqual({ references: 8, dangling: 5, examples: ['x', 'y'] });
    expect(m.unmatched('refs', 's', 1).examples).toHaveLength(1);
    m.close();
  });

  it('selects ids once, keeps their BSON types and hands them back in batches', () => {
    const m = open();
    const oid = new ObjectId();
    const ids = [oid, new Long(2n ** 60n), 'c1', 7];
    for (const [i, id] of ids.entries())
      expect(m.select('customers', { key: `k${i}`, value: id })).toBe(true);
    expect(m.select('customers', { key: 'k0', value: oid })).toBe(false);
    expect(m.selectedCount('customers')).toBe(4);
    expect(m.isSelected('customers', 'k2')).toBe(true);
    expect(m.isSelected('customers', 'zz')).toBe(false);
    expect(m.isSelected('accounts', 'k2')).toBe(false);
    const batches = [...m.selectedIds('customers', 3)];
    expect(batches.map((b) => b.length)).toEqual([3, 1]);
    const back = batches.flat();
    expect(back.find((v) => v instanceof ObjectId)?.toString()).toBe(oid.toHexString());
    expect(back.find((v) => v instanceof Long)?.toString()).toBe(String(2n ** 60n));
    expect(back).toContain('c1');
    m.close();
  });

  it('dequeues the oldest queue first, one depth at a time, in insertion order', () => {
    const m = open();
    m.enqueue('accounts\0account_id', { key: '1', value: 1, depth: 1 });
    m.enqueue('orders\0customer', { key: '"c"', value: 'c', depth: 1 });
    m.enqueue('accounts\0account_id', { key: '2', value: 2, depth: 1 });
    m.enqueue('accounts\0account_id', { key: '3', value: 3, depth: 2 });
    const first = m.dequeue(10);
    expect(first?.queue).toBe('accounts\0account_id');
    expect(first?.values.map((v) => v.value)).toEqual([1, 2]);
    expect(m.dequeue(10)?.values.map((v) => v.value)).toEqual(['c']);
    const last = m.dequeue(10);
    expect(last?.values).toEqual([{ key: '3', value: 3, depth: 2 }]);
    expect(m.dequeue(10)).toBeUndefined();
    m.close();
  });
});

describe('the on-disk index', () => {
  it('lives in its own temporary folder and removes it on close', () => {
    const before = new Set(readdirSync(parent));
    const m = openSqliteClosureMemory(parent);
    const created = readdirSync(parent).filter((d) => !before.has(d));
    expect(created).toHaveLength(1);
    m.add('s', 'a');
    m.close();
    expect(existsSync(join(parent, created[0]!))).toBe(false);
  });

  it('a spilling memory moves everything over at the threshold and says so', () => {
    const m = spillingClosureMemory(2, () => openSqliteClosureMemory(parent));
    m.select('c', { key: 'a', value: 'a' });
    m.enqueue('c\0x', { key: 'q', value: 'q', depth: 1 });
    expect(m.spilled).toBe(false);
    m.add('asked', 'q');
    expect(m.spilled).toBe(true);
    expect(m.isSelected('c', 'a')).toBe(true);
    expect(m.add('asked', 'q')).toBe(false);
    expect(m.dequeue(5)?.values.map((v) => v.value)).toEqual(['q']);
    m.close();
  });
});
