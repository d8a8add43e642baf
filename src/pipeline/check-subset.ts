import { openSubsetReader } from '../mongodb/mongodb-subset-reader.js';
import { checkReferences } from '../subset/check-references.js';
import type { DanglingReport } from '../subset/dangling-references.js';
import type { Relation } from '../subset/relation.js';

/**
 * `dbfork subset check`: the dangling references of every relation in a live database (a source, or
 * a restored subset). Read-only.
 *
 * @throws SourceError when the database cannot be read
 */
export async function checkSubset(
  uri: string,
  db: string,
  relations: readonly Relation[],
): Promise<DanglingReport[]> {
  const reader = await openSubsetReader(uri, db);
  try {
    return await checkReferences(relations, reader);
  } finally {
    await reader.close();
  }
}
