import type { DumpEvent } from '../core/dump-event.js';
import { isDbforkBookkeeping } from '../core/own-collections.js';
import { connectMongo } from './connect.js';

export interface SampleDatabaseOptions {
  readonly uri: string;
  readonly db: string;
  /** Documents per collection (the first N in natural order; 0 = all). */
  readonly sample: number;
}

/**
 * A read-only sample of a live database as a dump stream, for `dbfork scan --uri --db`: the first N
 * documents of every collection (not views, not `system.*`, not dbfork's own `snapshot_metadata`
 * and `__dbfork_*` work collections) as raw BSON, in natural order
 * (`find().limit(N)`, cheap on any server; `$sample` would cost a collection scan on some).
 * Connects with dbfork's source defaults (secondaryPreferred).
 *
 * @throws SourceError when the server cannot be reached or read
 */
export async function* sampleDatabase(options: SampleDatabaseOptions): AsyncGenerator<DumpEvent> {
  const client = await connectMongo(options.uri, { role: 'source' });
  try {
    const db = client.db(options.db);
    const infos = (await db.listCollections({}, { nameOnly: false }).toArray())
      .filter(
        (i) =>
          (i.type ?? 'collection') === 'collection' &&
          !i.name.startsWith('system.') &&
          !isDbforkBookkeeping(i.name),
      )
      .sort((a, b) => a.name.localeCompare(b.name));
    const collections = infos.map((i) => ({
      namespace: { db: options.db, collection: i.name },
      collectionType: 'collection',
      metadataJson: '',
    }));
    yield { type: 'prelude', serverVersion: '', toolVersion: '', concurrentCollections: 1, collections };
    for (const { namespace } of collections) {
      const cursor = db
        .collection(namespace.collection)
        .find({}, { raw: true, limit: options.sample > 0 ? options.sample : 0 });
      for await (const raw of cursor)
        yield { type: 'document', namespace, bson: raw as unknown as Uint8Array };
      yield { type: 'end', namespace };
    }
  } finally {
    await client.close();
  }
}
