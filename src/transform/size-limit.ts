import { deserialize } from 'bson';
import { compareBson } from './bson-order.js';

/**
 * `size_limits.<collection>.max_documents` for one namespace.
 *
 * - `order: natural`: the first N documents in stream order pass; constant memory.
 * - `order: _id` (default): the N documents with the smallest `_id` (MongoDB sort order), emitted in
 *   `_id` order when the namespace ends. Memory: up to N raw documents (N × average document size),
 *   kept in a max-heap so each document costs O(log N). A capture by dbfork reads in `_id` order, so
 *   there the result equals the natural order's.
 */
export interface SizeLimiter {
  /** Offer a document; returns the documents to emit now (natural order) or [] (buffered). */
  offer(bson: Uint8Array): Uint8Array[];
  /** At the namespace's end: the buffered documents to emit, in `_id` order. */
  finish(): Uint8Array[];
}

export function sizeLimiter(maxDocuments: number, order: '_id' | 'natural'): SizeLimiter {
  return order === 'natural' ? naturalLimiter(maxDocuments) : idLimiter(maxDocuments);
}

function naturalLimiter(max: number): SizeLimiter {
  let passed = 0;
  return {
    offer(bson) {
      if (passed >= max) return [];
      passed++;
      return [bson];
    },
    finish: () => [],
  };
}

interface Entry {
  readonly id: unknown;
  readonly bson: Uint8Array;
  readonly seq: number;
}

function idLimiter(max: number): SizeLimiter {
  const heap: Entry[] = []; // max-heap by (id, seq)
  let seq = 0;
  const greater = (a: Entry, b: Entry) => {
    const c = compareBson(a.id, b.id);
    return c > 0 || (c === 0 && a.seq > b.seq);
  };
  const swap = (i: number, j: number) => {
    const t = heap[i] as Entry;
    heap[i] = heap[j] as Entry;
    heap[j] = t;
  };
  const up = (i: number) => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!greater(heap[i] as Entry, heap[p] as Entry)) return;
      swap(i, p);
      i = p;
    }
  };
  const down = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && greater(heap[l] as Entry, heap[m] as Entry)) m = l;
      if (r < heap.length && greater(heap[r] as Entry, heap[m] as Entry)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  return {
    offer(bson) {
      if (max === 0) return [];
      const entry: Entry = { id: idOf(bson), bson, seq: seq++ };
      if (heap.length < max) {
        heap.push(entry);
        up(heap.length - 1);
      } else if (greater(heap[0] as Entry, entry)) {
        heap[0] = entry;
        down(0);
      }
      return [];
    },
    finish() {
      const sorted = heap.splice(0).sort((a, b) => (greater(a, b) ? 1 : -1));
      return sorted.map((e) => e.bson);
    },
  };
}

function idOf(bson: Uint8Array): unknown {
  return deserialize(bson, { promoteValues: false, bsonRegExp: true, fieldsAsRaw: {} })._id;
}
