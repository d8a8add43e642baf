import { EJSON, serialize, type Document } from 'bson';
import type { DumpEvent, DumpEventStream } from '../../../src/core/dump-event.js';

/** One collection of an in-memory dump. */
export interface FixtureCollection {
  readonly name: string;
  readonly docs: readonly Document[];
  /** Index specs as mongodump writes them (with `v`). */
  readonly indexes?: readonly Document[];
  readonly options?: Document;
}

/** metadata.json text as mongodump writes it (canonical Extended JSON). */
export function metadataJson(db: string, c: FixtureCollection): string {
  return EJSON.stringify(
    {
      options: c.options ?? {},
      indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...(c.indexes ?? [])],
      uuid: '0123456789abcdef0123456789abcdef',
      collectionName: c.name,
      type: 'collection',
    },
    { relaxed: false },
  );
}

/**
 * A dump event stream built with `bson.serialize`, collections interleaved round-robin (as a
 * mongodump archive with concurrent collections interleaves them). `pulled` counts documents handed out.
 */
export function fixtureStream(
  db: string,
  collections: readonly FixtureCollection[],
  counter?: { pulled: number },
): DumpEventStream {
  return (async function* (): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.42',
      toolVersion: 'fixture',
      concurrentCollections: collections.length,
      collections: collections.map((c) => ({
        namespace: { db, collection: c.name },
        collectionType: 'collection',
        metadataJson: metadataJson(db, c),
      })),
    };
    const max = Math.max(0, ...collections.map((c) => c.docs.length));
    for (let i = 0; i < max; i++) {
      for (const c of collections) {
        const doc = c.docs[i];
        if (doc === undefined) continue;
        if (counter) counter.pulled++;
        yield { type: 'document', namespace: { db, collection: c.name }, bson: serialize(doc) };
        if (i === c.docs.length - 1) yield { type: 'end', namespace: { db, collection: c.name } };
      }
    }
    for (const c of collections)
      if (c.docs.length === 0) yield { type: 'end', namespace: { db, collection: c.name } };
  })();
}
