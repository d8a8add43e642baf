import type { DanglingReport } from './dangling-references.js';
import { formatRelation, type Relation } from './relation.js';
import type { KeyedValue, SubsetReader } from './subset-reader.js';

/** Values sent per `$in` query. */
const BATCH = 1000;
/** Examples kept per relation. */
const EXAMPLES = 5;

/**
 * Check each relation over a whole database: every value at `from` must equal a value at `to`.
 * Reads the referencing collection once (projected to the path), then asks for the distinct values
 * in batches with `$in`. Memory holds the distinct referencing values of one relation at a time.
 *
 * @throws SourceError from the reader
 */
export async function checkReferences(
  relations: readonly Relation[],
  reader: SubsetReader,
): Promise<DanglingReport[]> {
  const reports: DanglingReport[] = [];
  for (const relation of relations) {
    const occurrences = new Map<string, { value: KeyedValue; count: number }>();
    let references = 0;
    for await (const doc of reader.roots(relation.from.collection, {}, 0, [relation.from.path]))
      for (const v of doc.values.get(relation.from.path) ?? []) {
        references++;
        const seen = occurrences.get(v.key);
        if (seen) seen.count++;
        else occurrences.set(v.key, { value: v, count: 1 });
      }
    const distinct = [...occurrences.values()];
    for (let i = 0; i < distinct.length; i += BATCH) {
      const batch = distinct.slice(i, i + BATCH).map((o) => o.value.value);
      for await (const doc of reader.match(relation.to.collection, relation.to.path, batch, [
        relation.to.path,
      ]))
        for (const v of doc.values.get(relation.to.path) ?? []) occurrences.delete(v.key);
    }
    const missing = [...occurrences.values()];
    reports.push({
      relation: formatRelation(relation),
      references,
      dangling: missing.reduce((n, o) => n + o.count, 0),
      examples: missing.slice(0, EXAMPLES).map((o) => o.value.key),
    });
  }
  return reports;
}
