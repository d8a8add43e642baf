import { readDump } from '../archive/index.js';
import type { DumpEventStream } from '../core/dump-event.js';
import { openSubsetReader } from '../mongodb/mongodb-subset-reader.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../store/snapshot-ref.js';
import { checkReferences } from '../subset/check-references.js';
import type { DanglingReport } from '../subset/dangling-references.js';
import type { Relation } from '../subset/relation.js';
import { decryptionKeys, decryptOptions } from './decryption-keys.js';
import { indexDumpForSubset } from './dump-subset-reader.js';
import { readSnapshotData } from './read-snapshot-data.js';

/** What `subset check` reads: a live database, a dump, or a stored snapshot. */
export type SubsetCheckInput =
  | { readonly uri: string; readonly db: string }
  | { readonly dump: string; readonly identityFile?: string }
  | { readonly snapshot: string; readonly store?: string; readonly identityFile?: string };

/**
 * `dbfork subset check`: the dangling references of every relation in a live database (a source, or
 * a restored subset), a dump or a snapshot. Read-only. A dump or snapshot is read once into an
 * on-disk index (its one database), then checked there.
 *
 * @throws SourceError when the database cannot be read; ArchiveError / StoreError for a dump or
 *   snapshot that cannot be read
 */
export async function checkSubset(
  input: SubsetCheckInput,
  relations: readonly Relation[],
): Promise<DanglingReport[]> {
  if ('uri' in input) {
    const reader = await openSubsetReader(input.uri, input.db);
    try {
      return await checkReferences(relations, reader);
    } finally {
      await reader.close();
    }
  }
  const events = await eventsOf(input);
  let db = '';
  const named = (async function* () {
    for await (const event of events) {
      if (event.type === 'prelude') db = event.collections[0]?.namespace.db ?? '';
      yield event;
    }
  })();
  // every relation's referencing collection, whole, is a root: the checker reads it through roots()
  const roots = [...new Set(relations.map((r) => r.from.collection))].map((collection) => ({
    collection,
    query: {},
  }));
  const reader = await indexDumpForSubset(named, () => db, {
    roots,
    rootLimit: 0,
    follow: 'parents',
    relations,
    maxDocuments: {},
  });
  try {
    return await checkReferences(relations, reader);
  } finally {
    reader.close();
  }
}

async function eventsOf(input: Exclude<SubsetCheckInput, { uri: string }>): Promise<DumpEventStream> {
  const keys = await decryptionKeys(input.identityFile);
  if ('dump' in input) return readDump(input.dump, decryptOptions(keys));
  const store = await openSnapshotStore(input.store);
  return readSnapshotData(await store.resolve(parseSnapshotRef(input.snapshot)), keys);
}
