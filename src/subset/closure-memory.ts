import type { KeyedValue } from './subset-reader.js';

/** A value waiting to be looked up at one collection's path, and how many hops from a root it is. */
export interface QueuedValue extends KeyedValue {
  /** Relation hops from the roots (the round of the fixed point it belongs to). */
  readonly depth: number;
}

/** Referencing values of one relation checked against the values its targets hold. */
export interface UnmatchedTally {
  /** Referencing values seen (each occurrence counts). */
  readonly references: number;
  /** Those whose key is not among the targets. */
  readonly dangling: number;
  /** The first few unmatched keys, each once. */
  readonly examples: readonly string[];
}

/**
 * What the closure remembers while it runs: key sets (values asked for, values targets hold), tallies
 * (referencing values and how often each occurs), the selected `_id`s of each collection, and the
 * queues of values still to look up. Keys are canonical values (`referenceKey`); `_id` values are kept
 * so the capture can read the selected documents back. Every method is synchronous: an implementation
 * is in memory or an embedded on-disk store.
 */
export interface ClosureMemory {
  /** Adds `key` to `set`; true when it was not there. */
  add(set: string, key: string): boolean;
  /** Adds `count` occurrences of `key` to the tally `set`. */
  tally(set: string, key: string, count: number): void;
  /** Selects the document `id` of `collection`; true when it was not selected yet. */
  select(collection: string, id: KeyedValue): boolean;
  /** Whether the document with `_id` key `key` of `collection` is selected. */
  isSelected(collection: string, key: string): boolean;
  /** Documents selected in `collection`. */
  selectedCount(collection: string): number;
  /** The selected `_id` values of `collection`, `size` at a time. */
  selectedIds(collection: string, size: number): Iterable<unknown[]>;
  /** Appends `value` to the queue `queue`. */
  enqueue(queue: string, value: QueuedValue): void;
  /** Removes and returns up to `size` values of the shallowest non-empty queue; `undefined` when all are empty. */
  dequeue(size: number): { queue: string; values: QueuedValue[] } | undefined;
  /** The tally `references` against the key set `targets`. */
  unmatched(references: string, targets: string, examples: number): UnmatchedTally;
  /** Entries held in all (keys, tallies, selections, queued values): what a spill threshold counts. */
  readonly entries: number;
  /** Releases what it holds (an on-disk store removes its files). */
  close(): void;
}
