import { serialize } from 'bson';
import { describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { parseRules } from '../../../src/config/load-rules.js';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../src/transform/stream-anonymizer.js';
import { collect, docsOf, dumpOf, TEST_KEY } from './dump-events.js';

const run = (rules: string, input: AsyncIterable<DumpEvent>) =>
  collect(streamAnonymizer(parseRules(rules, 'r.yaml'), keyedHasher(Buffer.from(TEST_KEY))).apply(input));

describe('anonymizeEvents', () => {
  it('passes namespaces without rules through byte for byte, keeping their CRC', async () => {
    const bson = serialize({ _id: 1, email: 'raw@example.org', n: 1.5 });
    async function* input(): AsyncGenerator<DumpEvent> {
      const namespace = { db: 'd', collection: 'plain' };
      yield {
        type: 'prelude',
        serverVersion: '',
        toolVersion: '',
        concurrentCollections: 1,
        collections: [{ namespace, collectionType: 'collection', metadataJson: '' }],
      };
      yield { type: 'document', namespace, bson };
      yield { type: 'end', namespace, crc64: 7n };
    }
    const out = await run('rules:\n  other:\n    fields:\n      email: { transform: hash_email }', input());
    expect(out[1]).toMatchObject({ type: 'document' });
    expect((out[1] as { bson: Uint8Array }).bson).toBe(bson);
    expect(out[2]).toEqual({ type: 'end', namespace: { db: 'd', collection: 'plain' }, crc64: 7n });
  });

  it('re-encodes rewritten namespaces and drops their stale CRC; untouched fields keep their bytes and types', async () => {
    const out = await run(
      'rules:\n  c:\n    fields:\n      email: { transform: hash_email }',
      dumpOf([{ ns: 'd.c', docs: [{ _id: 1, email: 'a@b.org', n: 2 }] }]),
    );
    expect(out.at(-1)).toEqual({ type: 'end', namespace: { db: 'd', collection: 'c' } });
    expect(docsOf(out, 'd.c')[0]).toEqual({ _id: 1, email: expect.stringMatching(/@anonymized/), n: 2 });
  });

  it('exclusions drop the namespace from the prelude and all its events (globs and system.* names)', async () => {
    const out = await run(
      'exclusions: [audit_*, system.sessions]',
      dumpOf([
        { ns: 'd.audit_log', docs: [{ _id: 1 }] },
        { ns: 'd.system.sessions', docs: [{ _id: 1 }] },
        { ns: 'd.keep', docs: [{ _id: 1 }] },
      ]),
    );
    const prelude = out[0] as Extract<DumpEvent, { type: 'prelude' }>;
    expect(prelude.collections.map((c) => c.namespace.collection)).toEqual(['keep']);
    expect(
      out
        .filter((e) => e.type !== 'prelude')
        .every((e) => (e as { namespace: { collection: string } }).namespace.collection === 'keep'),
    ).toBe(true);
    expect(out).toHaveLength(3);
  });

  it('max_documents keeps the first N by _id (default), emitted in _id order', async () => {
    const docs = [5, 3, 9, 1, 7, 2].map((_id) => ({ _id, v: `v${_id}` }));
    const out = await run('size_limits:\n  c:\n    max_documents: 3', dumpOf([{ ns: 'd.c', docs }]));
    expect(docsOf(out, 'd.c').map((d) => d._id)).toEqual([1, 2, 3]);
  });

  it('max_documents with order: natural keeps the first N in stream order; rules run only on kept documents', async () => {
    const docs = [5, 3, 9, 1].map((_id) => ({ _id, name: 'x' }));
    const out = await run(
      'rules:\n  c:\n    fields:\n      name: { transform: sequential }\nsize_limits:\n  c:\n    max_documents: 2\n    order: natural',
      dumpOf([{ ns: 'd.c', docs }]),
    );
    expect(docsOf(out, 'd.c')).toEqual([
      { _id: 5, name: 'User1' },
      { _id: 3, name: 'User2' },
    ]);
  });

  it('two collection keys with overlapping rules for one namespace are a RULES_CONFLICT before any output', async () => {
    const events: DumpEvent[] = [];
    const stream = streamAnonymizer(
      parseRules(
        'rules:\n  users:\n    fields:\n      email: { transform: hash_email }\n  "*.users":\n    fields:\n      email: { transform: hash }',
        'r.yaml',
      ),
      keyedHasher(Buffer.from(TEST_KEY)),
    ).apply(dumpOf([{ ns: 'd.users', docs: [{ _id: 1, email: 'a@b.c' }] }]));
    await expect(
      (async () => {
        for await (const e of stream) events.push(e);
      })(),
    ).rejects.toMatchObject({ code: 'RULES_CONFLICT' });
    expect(events).toEqual([]);
  });
});

describe('anonymizeEvents fails closed on a malformed stream', () => {
  it('data for a namespace missing from the prelude is an error, never passed on unplanned', async () => {
    async function* input(): AsyncGenerator<DumpEvent> {
      yield {
        type: 'prelude',
        serverVersion: '',
        toolVersion: '',
        concurrentCollections: 1,
        collections: [],
      };
      yield {
        type: 'document',
        namespace: { db: 'd', collection: 'users' },
        bson: serialize({ _id: 1, email: 'raw@x.org' }),
      };
    }
    const seen: DumpEvent[] = [];
    const stream = streamAnonymizer(
      parseRules('rules:\n  users:\n    fields:\n      email: { transform: hash_email }', 'r.yaml'),
      keyedHasher(Buffer.from(TEST_KEY)),
    ).apply(input());
    await expect(
      (async () => {
        for await (const e of stream) seen.push(e);
      })(),
    ).rejects.toMatchObject({ code: 'ARCHIVE_UNKNOWN_NAMESPACE', subject: { namespace: 'd.users' } });
    expect(seen.map((e) => e.type)).toEqual(['prelude']);
  });
});
