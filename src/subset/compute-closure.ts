import type { ClosureMemory } from './closure-memory.js';
import type { DanglingReport } from './dangling-references.js';
import { HeapClosureMemory } from './memory-closure-memory.js';
import { formatRelation, type Relation } from './relation.js';
import type { ClosureDocument, SubsetReader } from './subset-reader.js';
import type { SubsetSpec } from './subset-spec.js';

/** Values sent per `$in` query. */
const BATCH = 1000;
/** Dangling values kept per relation as examples. */
const EXAMPLES = 5;

/** One collection of a subset: how many documents were selected and how many the bound refused. */
export interface SubsetCollection {
  readonly collection: string;
  readonly documents: number;
  /** Distinct documents a reference reached but `maxDocuments` refused. */
  readonly refused: number;
}

/** A computed subset: every selected collection, and the references that still point nowhere. */
export interface SubsetSelection {
  readonly collections: readonly SubsetCollection[];
  readonly dangling: readonly DanglingReport[];
  /** Rounds until the fixed point: 1 + the most relation hops from a root to a selected document. */
  readonly rounds: number;
  /** The selected `_id` values of `collection`, `size` at a time (read from the closure's memory). */
  ids(collection: string, size: number): Iterable<unknown[]>;
}

/**
 * Select a referentially complete subset: the roots, then, breadth first until nothing new is added
 * (a fixed point, so chains and cycles end), every document the selected ones reference (`parents`)
 * and/or every document that references them (`children`). Each value is looked up once, in batches
 * of 1000. A collection's bound (`maxDocuments`) refuses further documents; the references it cuts
 * are reported as dangling.
 *
 * Everything the closure remembers (selected `_id`s, values asked for, values still to ask, the
 * tallies behind the dangling report) lives in `memory`: the heap by default, or a store that spills
 * to disk so that memory stays flat however large the subset. The caller closes `memory` once it has
 * read the ids.
 *
 * @throws SourceError from the reader
 */
export async function computeClosure(
  spec: SubsetSpec,
  reader: SubsetReader,
  memory: ClosureMemory = new HeapClosureMemory(),
): Promise<SubsetSelection> {
  const walk = new ClosureWalk(spec, memory);
  for (const root of spec.roots)
    for await (const doc of reader.roots(
      root.collection,
      root.query,
      spec.rootLimit,
      walk.paths(root.collection),
    ))
      walk.visit(root.collection, doc, 0);
  for (let next = memory.dequeue(BATCH); next; next = memory.dequeue(BATCH)) {
    const { collection, path } = walk.lookup(next.queue);
    const depth = next.values[0]?.depth ?? 0;
    const values = next.values.map((v) => v.value);
    for await (const doc of reader.match(collection, path, values, walk.paths(collection)))
      walk.visit(collection, doc, depth);
  }
  return walk.result();
}

/** One closure run: visits documents, queues the values they lead to, and reports. */
class ClosureWalk {
  readonly #spec: SubsetSpec;
  readonly #memory: ClosureMemory;
  readonly #lookups = new Map<string, { collection: string; path: string }>();
  readonly #refused = new Map<string, number>();
  readonly #collections = new Set<string>();
  #deepest = -1;

  constructor(spec: SubsetSpec, memory: ClosureMemory) {
    this.#spec = spec;
    this.#memory = memory;
  }

  /** Every path of `collection` that some relation reads (either end). */
  paths(collection: string): string[] {
    const out = new Set<string>();
    for (const r of this.#spec.relations) {
      if (r.from.collection === collection) out.add(r.from.path);
      if (r.to.collection === collection) out.add(r.to.path);
    }
    return [...out];
  }

  lookup(queue: string): { collection: string; path: string } {
    return this.#lookups.get(queue)!;
  }

  /** Select `doc` (unless held already or refused by the bound) and queue the values it leads to. */
  visit(collection: string, doc: ClosureDocument, depth: number): void {
    const memory = this.#memory;
    const bound = this.#spec.maxDocuments[collection];
    this.#collections.add(collection);
    if (bound !== undefined && memory.selectedCount(collection) >= bound) {
      if (!memory.isSelected(collection, doc.id.key) && memory.add(`refused\0${collection}`, doc.id.key))
        this.#refused.set(collection, (this.#refused.get(collection) ?? 0) + 1);
      return;
    }
    if (!memory.select(collection, doc.id)) return;
    this.#deepest = Math.max(this.#deepest, depth);
    this.#spec.relations.forEach((relation, i) => {
      if (relation.from.collection === collection)
        for (const v of doc.values.get(relation.from.path) ?? []) {
          memory.tally(`refs\0${i}`, v.key, 1);
          if (this.#spec.follow !== 'children') this.#ask(relation.to, v, depth + 1);
        }
      if (relation.to.collection === collection)
        for (const v of doc.values.get(relation.to.path) ?? []) {
          memory.add(`targets\0${i}`, v.key);
          if (this.#spec.follow !== 'parents') this.#ask(relation.from, v, depth + 1);
        }
    });
  }

  #ask(end: Relation['to'], v: { key: string; value: unknown }, depth: number): void {
    const queue = `${end.collection}\0${end.path}`;
    if (!this.#lookups.has(queue)) this.#lookups.set(queue, { collection: end.collection, path: end.path });
    if (this.#memory.add(`asked\0${queue}`, v.key)) this.#memory.enqueue(queue, { ...v, depth });
  }

  result(): SubsetSelection {
    const memory = this.#memory;
    return {
      collections: [...this.#collections]
        .filter((c) => memory.selectedCount(c) > 0 || this.#refused.has(c))
        .sort()
        .map((collection) => ({
          collection,
          documents: memory.selectedCount(collection),
          refused: this.#refused.get(collection) ?? 0,
        })),
      dangling: this.#spec.relations.map((relation, i) => ({
        relation: formatRelation(relation),
        ...memory.unmatched(`refs\0${i}`, `targets\0${i}`, EXAMPLES),
      })),
      rounds: this.#deepest + 1,
      ids: (collection, size) => memory.selectedIds(collection, size),
    };
  }
}
