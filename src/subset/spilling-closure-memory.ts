import type { ClosureMemory } from './closure-memory.js';
import { HeapClosureMemory } from './memory-closure-memory.js';

/** Entries kept in the heap before a subset spills to disk, unless configured. */
export const DEFAULT_SPILL_AFTER = 100_000;

/**
 * A {@link ClosureMemory} that starts in the heap and, once it holds more than `spillAfter` entries,
 * moves everything into the store `openSpill` makes (an on-disk index) and carries on there, so that
 * small subsets cost no disk and large ones a flat amount of memory.
 *
 * @param spillAfter entries (keys, tallies, selections, queued values) kept in the heap
 * @param openSpill opens the on-disk store; called at most once
 */
export function spillingClosureMemory(
  spillAfter: number,
  openSpill: () => ClosureMemory,
): ClosureMemory & { readonly spilled: boolean } {
  const heap = new HeapClosureMemory();
  let current: ClosureMemory = heap;
  let spilled = false;
  const check = () => {
    if (spilled || heap.entries <= spillAfter) return;
    const disk = openSpill();
    heap.copyInto(disk);
    current = disk;
    spilled = true;
  };
  return {
    get spilled() {
      return spilled;
    },
    get entries() {
      return current.entries;
    },
    add(set, key) {
      const added = current.add(set, key);
      check();
      return added;
    },
    tally(set, key, count) {
      current.tally(set, key, count);
      check();
    },
    select(collection, id) {
      const added = current.select(collection, id);
      check();
      return added;
    },
    isSelected: (collection, key) => current.isSelected(collection, key),
    selectedCount: (collection) => current.selectedCount(collection),
    selectedIds: (collection, size) => current.selectedIds(collection, size),
    enqueue(queue, value) {
      current.enqueue(queue, value);
      check();
    },
    dequeue: (size) => current.dequeue(size),
    unmatched: (references, targets, examples) => current.unmatched(references, targets, examples),
    close: () => current.close(),
  };
}
