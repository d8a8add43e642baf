import type { ClosureMemory, QueuedValue, UnmatchedTally } from './closure-memory.js';
import type { KeyedValue } from './subset-reader.js';

interface Queued extends QueuedValue {
  readonly seq: number;
}

/** A FIFO over an array: `head` is the next item; the array is compacted once half of it is consumed. */
interface Fifo {
  items: Queued[];
  head: number;
}

/**
 * {@link ClosureMemory} in the process's heap: fastest, and what a subset uses until it grows past
 * the spill threshold (then {@link copyInto} moves everything to an on-disk store).
 */
export class HeapClosureMemory implements ClosureMemory {
  readonly #sets = new Map<string, Set<string>>();
  readonly #tallies = new Map<string, Map<string, number>>();
  readonly #selected = new Map<string, Map<string, unknown>>();
  readonly #queues = new Map<string, Fifo>();
  #seq = 0;
  #entries = 0;

  get entries(): number {
    return this.#entries;
  }

  add(set: string, key: string): boolean {
    const keys = getOr(this.#sets, set, () => new Set<string>());
    if (keys.has(key)) return false;
    keys.add(key);
    this.#entries++;
    return true;
  }

  tally(set: string, key: string, count: number): void {
    const tally = getOr(this.#tallies, set, () => new Map<string, number>());
    const before = tally.get(key);
    if (before === undefined) this.#entries++;
    tally.set(key, (before ?? 0) + count);
  }

  select(collection: string, id: KeyedValue): boolean {
    const ids = getOr(this.#selected, collection, () => new Map<string, unknown>());
    if (ids.has(id.key)) return false;
    ids.set(id.key, id.value);
    this.#entries++;
    return true;
  }

  isSelected(collection: string, key: string): boolean {
    return this.#selected.get(collection)?.has(key) ?? false;
  }

  selectedCount(collection: string): number {
    return this.#selected.get(collection)?.size ?? 0;
  }

  *selectedIds(collection: string, size: number): Iterable<unknown[]> {
    let batch: unknown[] = [];
    for (const value of this.#selected.get(collection)?.values() ?? []) {
      batch.push(value);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }

  enqueue(queue: string, value: QueuedValue): void {
    getOr(this.#queues, queue, () => ({ items: [], head: 0 })).items.push({ ...value, seq: this.#seq++ });
    this.#entries++;
  }

  dequeue(size: number): { queue: string; values: QueuedValue[] } | undefined {
    let oldest: [string, Fifo] | undefined;
    for (const entry of this.#queues) {
      const head = entry[1].items[entry[1].head];
      if (head && (!oldest || head.seq < oldest[1].items[oldest[1].head]!.seq)) oldest = entry;
    }
    if (!oldest) return undefined;
    const [queue, fifo] = oldest;
    const depth = fifo.items[fifo.head]!.depth;
    const values: QueuedValue[] = [];
    for (let item = fifo.items[fifo.head]; item && item.depth === depth && values.length < size;) {
      values.push({ key: item.key, value: item.value, depth: item.depth });
      item = fifo.items[++fifo.head];
    }
    if (fifo.head * 2 > fifo.items.length) {
      fifo.items = fifo.items.slice(fifo.head);
      fifo.head = 0;
    }
    this.#entries -= values.length;
    return { queue, values };
  }

  unmatched(references: string, targets: string, examples: number): UnmatchedTally {
    const keys = this.#sets.get(targets);
    let total = 0;
    let dangling = 0;
    const found: string[] = [];
    for (const [key, count] of this.#tallies.get(references) ?? []) {
      total += count;
      if (keys?.has(key)) continue;
      dangling += count;
      if (found.length < examples) found.push(key);
    }
    return { references: total, dangling, examples: found };
  }

  /** Writes everything held into `target`, queues in their order, then forgets it. */
  copyInto(target: ClosureMemory): void {
    for (const [set, keys] of this.#sets) for (const key of keys) target.add(set, key);
    for (const [set, tally] of this.#tallies) for (const [key, n] of tally) target.tally(set, key, n);
    for (const [collection, ids] of this.#selected)
      for (const [key, value] of ids) target.select(collection, { key, value });
    const queued = [...this.#queues].flatMap(([queue, fifo]) =>
      fifo.items.slice(fifo.head).map((item) => ({ queue, item })),
    );
    for (const { queue, item } of queued.sort((a, b) => a.item.seq - b.item.seq))
      target.enqueue(queue, { key: item.key, value: item.value, depth: item.depth });
    this.close();
  }

  close(): void {
    this.#sets.clear();
    this.#tallies.clear();
    this.#selected.clear();
    this.#queues.clear();
    this.#entries = 0;
  }
}

function getOr<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) map.set(key, (value = make()));
  return value;
}
