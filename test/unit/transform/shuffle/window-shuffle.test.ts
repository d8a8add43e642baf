import { createHash } from 'node:crypto';
import { Double, Int32, Long, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../../src/core/dump-event.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { anonymize, bytesOf, docsOf } from '../dump-events.js';

const people = (n: number): Document[] =>
  Array.from({ length: n }, (_, i) => ({ _id: i, city: `city-${i}`, n: new Int32(i) }));

const RULES = (window: number, extra = '') => `
rules:
  people:
    fields:
      city: { transform: shuffle, window: ${window} }${extra}
    keep: [_id, n]
`;

const sorted = (values: readonly unknown[]) => values.map((v) => JSON.stringify(v)).sort();
const cities = (docs: readonly Document[]) => docs.map((d) => d.city as unknown);

describe('shuffle: a keyed column-wise permutation per window', () => {
  it('is deterministic: same key, rules and input give the same bytes', async () => {
    const a = await anonymize(RULES(10), [{ ns: 'd.people', docs: people(95) }]);
    const b = await anonymize(RULES(10), [{ ns: 'd.people', docs: people(95) }]);
    expect(bytesOf(a).equals(bytesOf(b))).toBe(true);
    // frozen: a change means shuffled outputs changed (say so in the changelog)
    expect(createHash('sha256').update(bytesOf(a)).digest('hex')).toBe(
      'fc6277bf3265bd6b0482f2d4c915ea7ce66b371de0d10a5c51533523aa666ce4',
    );
  });

  it('depends on the key: another key gives another permutation', async () => {
    const a = docsOf(await anonymize(RULES(50), [{ ns: 'd.people', docs: people(50) }]), 'd.people');
    const b = docsOf(
      await anonymize(
        RULES(50),
        [{ ns: 'd.people', docs: people(50) }],
        keyedHasher(Buffer.from('another-key-0123456789abcdef')),
      ),
      'd.people',
    );
    expect(sorted(cities(a))).toEqual(sorted(cities(b)));
    const same = a.filter((d, i) => d.city === b[i]!.city).length;
    expect(same).toBeLessThan(10);
  });

  it('keeps each window’s multiset exactly, moves values only inside their window, and keeps document order', async () => {
    const input = people(25);
    const out = docsOf(await anonymize(RULES(10), [{ ns: 'd.people', docs: input }]), 'd.people');
    expect(out.map((d) => d._id as unknown)).toEqual(input.map((d) => d._id as unknown));
    expect(out.map((d) => d.n as number)).toEqual(input.map((_, i) => i));
    for (const [from, to] of [
      [0, 10],
      [10, 20],
      [20, 25], // the last window is shorter
    ] as const) {
      expect(sorted(cities(out.slice(from, to)))).toEqual(sorted(cities(input.slice(from, to))));
    }
    const moved = out.filter((d, i) => d.city !== input[i]!.city).length;
    expect(moved).toBeGreaterThanOrEqual(18);
  });

  it('uses the default window of 1000 documents', async () => {
    const input = people(1500);
    const out = docsOf(
      await anonymize(
        'rules:\n  people:\n    fields:\n      city: { transform: shuffle }\n    keep: [_id, n]',
        [{ ns: 'd.people', docs: input }],
      ),
      'd.people',
    );
    expect(sorted(cities(out.slice(0, 1000)))).toEqual(sorted(cities(input.slice(0, 1000))));
    expect(sorted(cities(out.slice(1000)))).toEqual(sorted(cities(input.slice(1000))));
    // a value crossing a window boundary would break one of the equalities above
    expect(out.filter((d, i) => d.city !== input[i]!.city).length).toBeGreaterThan(1450);
  });

  it('leaves missing fields missing and nulls null: only documents with a value take part', async () => {
    const input: Document[] = Array.from({ length: 30 }, (_, i) =>
      i % 3 === 0
        ? { _id: i, n: new Int32(i) }
        : i % 3 === 1
          ? { _id: i, city: null, n: new Int32(i) }
          : { _id: i, city: `c${i}`, n: new Int32(i) },
    );
    const out = docsOf(await anonymize(RULES(30), [{ ns: 'd.people', docs: input }]), 'd.people');
    out.forEach((d, i) => {
      if (i % 3 === 0) expect(Object.hasOwn(d, 'city')).toBe(false);
      else if (i % 3 === 1) expect(d.city).toBeNull();
      else expect(typeof d.city).toBe('string');
    });
    expect(sorted(cities(out.filter((d) => typeof d.city === 'string')))).toEqual(
      sorted(cities(input.filter((d) => typeof d.city === 'string'))),
    );
  });

  it('keeps BSON types: an Int32, a Long, a Double, a subdocument and an array move as they are', async () => {
    const values = [new Int32(7), Long.fromNumber(8), new Double(9), { street: 's' }, ['a', 'b'], 'x'];
    const input = values.map((v, i) => ({ _id: i, city: v, n: new Int32(i) }));
    const events = await anonymize(RULES(6), [{ ns: 'd.people', docs: input }]);
    const out = events
      .filter((e): e is Extract<DumpEvent, { type: 'document' }> => e.type === 'document')
      .map((e) => Buffer.from(e.bson));
    // every original value's BSON bytes appear exactly once among the outputs' city elements
    const { deserialize, serialize } = await import('bson');
    const cityBytes = (bson: Buffer) =>
      Buffer.from(serialize({ city: deserialize(bson, { promoteValues: false }).city })).toString('hex');
    expect(out.map(cityBytes).sort()).toEqual(
      input.map((d) => Buffer.from(serialize({ city: d.city })).toString('hex')).sort(),
    );
  });

  it('shuffles each element’s value of a path through an array (one slot per element)', async () => {
    const input = Array.from({ length: 8 }, (_, i) => ({
      _id: i,
      contacts: [{ email: `a${i}@x.example` }, { email: `b${i}@x.example` }],
    }));
    const out = docsOf(
      await anonymize(
        'rules:\n  people:\n    fields:\n      contacts.email: { transform: shuffle, window: 8 }\n    keep: [_id]',
        [{ ns: 'd.people', docs: input }],
      ),
      'd.people',
    );
    const emails = (docs: Document[]) =>
      docs.flatMap((d) => (d.contacts as { email: string }[]).map((c) => c.email));
    expect(out.every((d) => (d.contacts as unknown[]).length === 2)).toBe(true);
    expect(emails(out).sort()).toEqual(emails(input).sort());
    expect(emails(out)).not.toEqual(emails(input));
  });

  it('with when: only passing documents (original values) take part; the others keep their own', async () => {
    const input = Array.from({ length: 40 }, (_, i) => ({ _id: i, kind: i % 2 ? 'a' : 'b', city: `c${i}` }));
    const out = docsOf(
      await anonymize(
        'rules:\n  people:\n    fields:\n      city: { transform: shuffle, window: 40, when: { kind: a } }\n    keep: [_id, kind]',
        [{ ns: 'd.people', docs: input }],
      ),
      'd.people',
    );
    out.forEach((d, i) => {
      if (i % 2 === 0) expect(d.city).toBe(`c${i}`);
    });
    const odd = (docs: Document[]) => docs.filter((_, i) => i % 2 === 1).map((d) => d.city as string);
    expect(odd(out).sort()).toEqual(odd(input).sort());
    expect(odd(out).filter((c, k) => c !== odd(input)[k]).length).toBeGreaterThan(15);
  });

  it('other rules still apply; templates see the value the document received', async () => {
    const input = Array.from({ length: 20 }, (_, i) => ({ _id: i, city: `c${i}`, email: `u${i}@x.example` }));
    const out = docsOf(
      await anonymize(
        `rules:
  people:
    fields:
      city: { transform: shuffle, window: 20 }
      email: { transform: hash_email }
      label: { transform: template, template: 'from {city}' }
    keep: [_id]`,
        [{ ns: 'd.people', docs: input.map((d) => ({ ...d, label: 'x' })) }],
      ),
      'd.people',
    );
    out.forEach((d) => {
      expect(d.email).toMatch(/@anonymized\.dbfork\.local$/);
      expect(d.label).toBe(`from ${d.city as string}`);
    });
  });

  it('holds only the shuffled namespace: interleaved namespaces keep flowing, each end after its last document', async () => {
    const a = { db: 'd', collection: 'people' };
    const b = { db: 'd', collection: 'other' };
    const { serialize } = await import('bson');
    async function* input(): AsyncGenerator<DumpEvent> {
      yield {
        type: 'prelude',
        serverVersion: '',
        toolVersion: '',
        concurrentCollections: 2,
        collections: [
          { namespace: a, collectionType: 'collection', metadataJson: '' },
          { namespace: b, collectionType: 'collection', metadataJson: '' },
        ],
      };
      for (let i = 0; i < 12; i++) {
        yield { type: 'document', namespace: a, bson: serialize({ _id: i, city: `c${i}`, n: i }) };
        yield { type: 'document', namespace: b, bson: serialize({ _id: i }) };
      }
      yield { type: 'end', namespace: b };
      yield { type: 'end', namespace: a };
    }
    const { parseRules } = await import('../../../../src/config/load-rules.js');
    const { streamAnonymizer } = await import('../../../../src/transform/stream-anonymizer.js');
    const { collect, TEST_KEY } = await import('../dump-events.js');
    const events = await collect(
      streamAnonymizer(parseRules(RULES(5), 'r.yaml'), keyedHasher(Buffer.from(TEST_KEY))).apply(input()),
    );
    const label = (e: DumpEvent) => (e.type === 'prelude' ? 'P' : `${e.type[0]}${e.namespace.collection[0]}`);
    // people's documents come out per window of 5 (after its 5th and 10th document), the last 2 at its end
    expect(events.map(label).join(' ')).toBe(
      [
        'P',
        'do do do do',
        'dp dp dp dp dp do',
        'do do do do',
        'dp dp dp dp dp do',
        'do do',
        'eo dp dp ep',
      ].join(' '),
    );
    const people = docsOf(events, 'd.people');
    expect(people.map((d) => d._id as number)).toEqual([...Array(12).keys()]);
    expect(people.map((d) => d.n as number)).toEqual([...Array(12).keys()]);
  });

  it('is applied after max_documents: windows hold only the documents that are kept', async () => {
    const out = docsOf(
      await anonymize(`${RULES(10)}\nsize_limits:\n  people: { max_documents: 7, order: natural }`, [
        { ns: 'd.people', docs: people(30) },
      ]),
      'd.people',
    );
    expect(out).toHaveLength(7);
    expect(sorted(cities(out))).toEqual(sorted(cities(people(7))));
  });
});
