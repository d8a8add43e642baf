import { formatRelation, type Relation } from './relation.js';
import type { ClosureDocument } from './subset-reader.js';

/** Examples kept per relation. */
const EXAMPLES = 5;

/** References of one relation, among selected documents, whose target is not selected. */
export interface DanglingReport {
  /** `from → to`. */
  readonly relation: string;
  /** Referencing values checked (each occurrence counts). */
  readonly references: number;
  /** Those whose target is not in the selection. */
  readonly dangling: number;
  /** A few dangling values, as canonical Extended JSON. */
  readonly examples: readonly string[];
}

/**
 * Check every relation over a set of documents: each value at `from` in a document of
 * `from.collection` must equal a value at `to` in some document of `to.collection`.
 *
 * @param documents the documents of a collection, with the values at the relations' paths
 */
export function danglingReferences(
  relations: readonly Relation[],
  documents: (collection: string) => Iterable<ClosureDocument>,
): DanglingReport[] {
  return relations.map((relation) => {
    const targets = new Set<string>();
    for (const doc of documents(relation.to.collection))
      for (const v of doc.values.get(relation.to.path) ?? []) targets.add(v.key);
    let references = 0;
    let dangling = 0;
    const examples: string[] = [];
    for (const doc of documents(relation.from.collection))
      for (const v of doc.values.get(relation.from.path) ?? []) {
        references++;
        if (targets.has(v.key)) continue;
        dangling++;
        if (examples.length < EXAMPLES && !examples.includes(v.key)) examples.push(v.key);
      }
    return { relation: formatRelation(relation), references, dangling, examples };
  });
}
