import { serialize, Timestamp } from 'bson';
import type { CollectionEntry, DumpEvent } from '../../../src/core/dump-event.js';
import { writeDump } from '../../../src/archive/index.js';

export const OPLOG_NS = { db: '', collection: 'oplog' };

/** An optime of a generated entry: `Timestamp(1700000000 + i, 1)`. */
export const ts = (i: number): Timestamp => new Timestamp({ t: 1700000000 + i, i: 1 });

/** Write an archive of the given namespaces (documents serialized as given), in order. */
export async function writeArchive(
  path: string,
  collections: { entry: CollectionEntry; docs: readonly Record<string, unknown>[] }[],
): Promise<void> {
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 't',
      concurrentCollections: 1,
      collections: collections.map((c) => c.entry),
    };
    for (const { entry, docs } of collections) {
      for (const doc of docs) yield { type: 'document', namespace: entry.namespace, bson: serialize(doc) };
      yield { type: 'end', namespace: entry.namespace };
    }
  }
  await writeDump(events(), path, { format: 'archive', gzip: false });
}

/** A collection entry of a generated dump. */
export const collection = (db: string, name: string): CollectionEntry => ({
  namespace: { db, collection: name },
  collectionType: 'collection',
  metadataJson: '',
});

/** The oplog's entry of a generated dump. */
export const oplog = (): CollectionEntry => ({ namespace: OPLOG_NS, collectionType: '', metadataJson: '' });

/** A document with its keys sorted at every level, to compare documents whatever their field order. */
export function keySorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keySorted);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, keySorted((value as Record<string, unknown>)[k])]),
  );
}
