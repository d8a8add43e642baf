import { deserialize, serialize, type Document } from 'bson';
import type { DumpEvent, DumpEventStream } from '../../../src/core/dump-event.js';
import { parseRules } from '../../../src/config/load-rules.js';
import { keyedHasher, type Hasher } from '../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../src/transform/stream-anonymizer.js';

/** One namespace of an in-memory dump. */
export interface TestCollection {
  readonly ns: string;
  readonly docs: readonly Document[];
  /** listIndexes documents (the `_id_` index is implied). */
  readonly indexes?: readonly Document[];
}

/** A dump event stream built from documents: prelude, then each namespace's documents and end. */
export async function* dumpOf(collections: readonly TestCollection[]): AsyncGenerator<DumpEvent> {
  const entries = collections.map((c) => {
    const dot = c.ns.indexOf('.');
    const namespace = { db: c.ns.slice(0, dot), collection: c.ns.slice(dot + 1) };
    const metadataJson = JSON.stringify({
      options: {},
      indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...(c.indexes ?? [])],
    });
    return { namespace, collectionType: 'collection', metadataJson };
  });
  yield {
    type: 'prelude',
    serverVersion: '7.0.0',
    toolVersion: 'test',
    concurrentCollections: 1,
    collections: entries,
  };
  for (const [i, c] of collections.entries()) {
    const namespace = entries[i]!.namespace;
    for (const doc of c.docs) yield { type: 'document', namespace, bson: serialize(doc) };
    yield { type: 'end', namespace, crc64: 42n };
  }
}

/** Drain a stream into an array. */
export async function collect(events: DumpEventStream): Promise<DumpEvent[]> {
  const out: DumpEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** The decoded documents of one namespace (`db.coll`) in stream order. */
export function docsOf(events: readonly DumpEvent[], ns: string): Document[] {
  return events
    .filter((e): e is Extract<DumpEvent, { type: 'document' }> => e.type === 'document')
    .filter((e) => `${e.namespace.db}.${e.namespace.collection}` === ns)
    .map((e) => deserialize(e.bson));
}

/** All document bytes of a run, concatenated (for byte-identity comparisons). */
export function bytesOf(events: readonly DumpEvent[]): Buffer {
  return Buffer.concat(events.flatMap((e) => (e.type === 'document' ? [Buffer.from(e.bson)] : [])));
}

export const TEST_KEY = 'unit-test-key-0123456789abcdef';

/** Anonymize in-memory collections with rules text and a key (default {@link TEST_KEY}). */
export async function anonymize(
  rulesYaml: string,
  collections: readonly TestCollection[],
  hasher: Hasher = keyedHasher(Buffer.from(TEST_KEY)),
): Promise<DumpEvent[]> {
  const rules = parseRules(rulesYaml, 'test.rules.yaml');
  return collect(streamAnonymizer(rules, hasher).apply(dumpOf(collections)));
}
