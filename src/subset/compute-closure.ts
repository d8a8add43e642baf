import type { ClosureDocument, KeyedValue, SubsetReader } from './subset-reader.js';
import type { SubsetSpec } from './subset-spec.js';
import { danglingReferences, type DanglingReport } from './dangling-references.js';

/** Values sent per `$in` query. */
const BATCH = 1000;

/** One collection of a subset: the `_id`s selected and what the bound refused. */
export interface SubsetCollection {
  readonly collection: string;
  /** The selected documents' `_id` values, in the order they were reached. */
  readonly ids: readonly unknown[];
  /** Documents a reference reached but `maxDocuments` refused. */
  readonly refused: number;
}

/** A computed subset: every selected collection, and the references that still point nowhere. */
export interface SubsetSelection {
  readonly collections: readonly SubsetCollection[];
  readonly dangling: readonly DanglingReport[];
  /** Rounds until the fixed point. */
  readonly rounds: number;
}

/**
 * Select a referentially complete subset: the roots, then, round by round until nothing new is
 * added (a fixed point, so chains and cycles end), every document the selected ones reference
 * (`parents`) and/or every document that references them (`children`). Each round asks the reader
 * only for values it has not asked for before, in batches of 1000. A collection's bound
 * (`maxDocuments`) refuses further documents; the references it cuts are reported as dangling.
 *
 * Memory holds the selected `_id`s and the related values of selected documents: it grows with
 * the subset, not with the source.
 *
 * @throws SourceError from the reader
 */
export async function computeClosure(spec: SubsetSpec, reader: SubsetReader): Promise<SubsetSelection> {
  const state = new ClosureState(spec);
  for (const root of spec.roots)
    for await (const doc of reader.roots(
      root.collection,
      root.query,
      spec.rootLimit,
      state.paths(root.collection),
    ))
      state.add(root.collection, doc);
  let rounds = 0;
  for (let wave = state.takeWave(); wave.size > 0; wave = state.takeWave()) {
    rounds++;
    for (const [collection, docs] of wave)
      for (const relation of spec.relations) {
        if (spec.follow !== 'children' && relation.from.collection === collection)
          await follow(
            state,
            reader,
            relation.to.collection,
            relation.to.path,
            values(docs, relation.from.path),
          );
        if (spec.follow !== 'parents' && relation.to.collection === collection)
          await follow(
            state,
            reader,
            relation.from.collection,
            relation.from.path,
            values(docs, relation.to.path),
          );
      }
  }
  return {
    collections: state.collections(),
    dangling: danglingReferences(spec.relations, (c) => state.documents(c)),
    rounds,
  };
}

async function follow(
  state: ClosureState,
  reader: SubsetReader,
  collection: string,
  path: string,
  found: KeyedValue[],
) {
  const fresh = state.unasked(collection, path, found);
  for (let i = 0; i < fresh.length; i += BATCH) {
    const batch = fresh.slice(i, i + BATCH).map((v) => v.value);
    for await (const doc of reader.match(collection, path, batch, state.paths(collection)))
      state.add(collection, doc);
  }
}

function values(docs: readonly ClosureDocument[], path: string): KeyedValue[] {
  return docs.flatMap((d) => d.values.get(path) ?? []);
}

/** The closure's memory: selected documents per collection, the values asked for, the next wave. */
class ClosureState {
  readonly #spec: SubsetSpec;
  readonly #selected = new Map<string, Map<string, ClosureDocument>>();
  readonly #refused = new Map<string, number>();
  readonly #asked = new Map<string, Set<string>>();
  #wave = new Map<string, ClosureDocument[]>();

  constructor(spec: SubsetSpec) {
    this.#spec = spec;
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

  add(collection: string, doc: ClosureDocument): void {
    let selected = this.#selected.get(collection);
    if (!selected) this.#selected.set(collection, (selected = new Map()));
    if (selected.has(doc.id.key)) return;
    const bound = this.#spec.maxDocuments[collection];
    if (bound !== undefined && selected.size >= bound) {
      this.#refused.set(collection, (this.#refused.get(collection) ?? 0) + 1);
      return;
    }
    selected.set(doc.id.key, doc);
    const wave = this.#wave.get(collection);
    if (wave) wave.push(doc);
    else this.#wave.set(collection, [doc]);
  }

  takeWave(): Map<string, ClosureDocument[]> {
    const wave = this.#wave;
    this.#wave = new Map();
    return wave;
  }

  /** The values not asked for yet at `collection.path`, each once; remembers them as asked. */
  unasked(collection: string, path: string, found: readonly KeyedValue[]): KeyedValue[] {
    const id = `${collection}\u0000${path}`;
    let asked = this.#asked.get(id);
    if (!asked) this.#asked.set(id, (asked = new Set()));
    const fresh: KeyedValue[] = [];
    for (const v of found)
      if (!asked.has(v.key)) {
        asked.add(v.key);
        fresh.push(v);
      }
    return fresh;
  }

  documents(collection: string): Iterable<ClosureDocument> {
    return this.#selected.get(collection)?.values() ?? [];
  }

  collections(): SubsetCollection[] {
    const names = new Set([...this.#selected.keys(), ...this.#refused.keys()]);
    return [...names].sort().map((collection) => ({
      collection,
      ids: [...this.documents(collection)].map((d) => d.id.value),
      refused: this.#refused.get(collection) ?? 0,
    }));
  }
}
