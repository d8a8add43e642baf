/**
 * Golden outputs: the SHA-256 of every output byte of fixed runs. Pseudonyms must stay identical
 * across versions for the same key and rules (a product guarantee), so engine optimizations must keep
 * these digests. A digest change means the OUTPUT changed: do not update it without a changelog
 * entry that says pseudonyms changed.
 */
import { createHash } from 'node:crypto';
import { Binary, Double, Int32, Long, ObjectId, serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { parseRules } from '../../../src/config/load-rules.js';
import { keyedHasher, unkeyedHasher, type Hasher } from '../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../src/transform/stream-anonymizer.js';

const KEY = keyedHasher(Buffer.from('bench-key-0123456789abcdef'));

const FIRST = ['Ada', 'Grace', 'Alan', 'Edsger', 'Barbara', 'Donald', 'Frances', 'Ken', 'Radia', 'Tim'];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Lee',
];

/** A copy of bench/lib/generate.ts `customer` (+ card, as bench/transform-throughput.ts), frozen here. */
function customer(i: number): Document {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[(i * 7) % LAST.length]!;
  return {
    _id: ObjectId.createFromTime(1_700_000_000 + i),
    username: `${first.toLowerCase()}${i}`,
    name: `${first} ${last}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}${i}@example.com`,
    address: {
      street: `${(i % 999) + 1} Main Street`,
      city: 'Springfield',
      zip: String(10000 + (i % 89999)),
    },
    birthdate: new Date(Date.UTC(1950 + (i % 50), i % 12, (i % 28) + 1)),
    active: i % 3 !== 0,
    accounts: [new Int32(100000 + i), new Int32(200000 + i)],
    balance: new Long(i * 1013),
    score: (i % 1000) / 7,
    tier_and_details: {
      tier: ['gold', 'silver', 'bronze'][i % 3],
      benefits: ['lounge', 'cashback'],
      id: `t-${i}`,
    },
    notes: `Customer ${i} prefers contact by email; last visit ${i % 365} days ago.`,
    card: `4111${String(i).padStart(12, '0')}`,
  };
}

/** Varied shapes and types, to cover every transform's input branches. */
function varied(i: number): Document {
  const uuid = Buffer.alloc(16);
  uuid.writeUInt32BE((i * 2654435761) >>> 0, 0);
  uuid.writeUInt32BE(i, 12);
  return {
    _id: i % 5 === 0 ? new Int32(i) : i % 5 === 1 ? new Long(i * 1_000_003) : `user-${i}`,
    sid:
      i % 4 === 0
        ? `auth0|${1000 + i}`
        : i % 4 === 1
          ? `6f1c${i.toString(16).padStart(4, '0')}ab`
          : `Ab-${i}.x`,
    uuid4: new Binary(uuid, 4),
    uuid3: new Binary(uuid, 3),
    bin0: new Binary(Buffer.from(`payload-${i}-${'z'.repeat(i % 40)}`), 0),
    oid: ObjectId.createFromTime(1_600_000_000 + i),
    phone: i % 2 ? `+1 555 01${String(i % 100).padStart(2, '0')}` : new Int32(5550100 + i),
    city: ['Paris', 'Lyon', 'Nice'][i % 3],
    company: `Firm ${i % 50}`,
    first: FIRST[i % 10],
    last: LAST[i % 7],
    web: `https://site${i}.test/`,
    ip: `10.0.${i % 256}.${(i * 7) % 256}`,
    handle: `h${i % 300}`,
    code: `c${i % 40}`,
    isoDay: `20${10 + (i % 10)}-0${(i % 9) + 1}-1${i % 10}`,
    isoTime: `2021-03-04T0${i % 10}:1${i % 6}:00.${i % 1000}Z`,
    when: new Date(1_500_000_000_000 + i * 3_600_000),
    qty: new Int32(i % 7 === 0 ? 0 : i * 13 - 500),
    big: new Long(i * 987_654_321),
    price: new Double((i % 1000) / 8),
    plainNum: i * 1.5,
    nums: [new Int32(i), new Double(i + 0.25), [new Int32(i + 1), new Long(i + 2)]],
    contacts: [
      { email: `Person.${i}@Mail.Example`, tel: `555-${i % 1000}` },
      { email: `p${i % 97}@other.example`, tel: `555-${(i * 3) % 1000}` },
    ],
    meta: { a: { secret: `s${i}` }, b: { secret: `t${i}`, keep: 1 }, c: 5 },
    card: `4111 1111 ${String(i).padStart(4, '0')} 9`,
    tokens: ['abc', `tok${i}`, null],
    gone: { nested: true },
    blank: null,
    note: `Note ${i} — ünïcödé ✓ 😀`,
    flag: i % 2 === 0,
  };
}

const RULES_10 = `
rules:
  bench.customers:
    fields:
      _id: { transform: pseudonymous_id, group: customer_id }
      username: { transform: hash, length: 24 }
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email, group: email }
      address.street: { transform: fake, kind: street_address }
      birthdate: { transform: date_shift, max_days: 180 }
      accounts: { transform: pseudonymous_id, group: account }
      balance: { transform: number_noise, percent: 5 }
      card: { transform: mask, keep_last: 4 }
      notes: { transform: unset }
`;

const RULES_3 = `
rules:
  bench.customers:
    fields:
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email }
      address.street: { transform: fake, kind: street_address }
`;

const RULES_VARIED = `
defaults: { on_type_mismatch: error }
rules:
  app.varied:
    fields:
      _id: { transform: pseudonymous_id }
      sid: { transform: pseudonymous_id, group: sid }
      uuid4: { transform: pseudonymous_id, group: uuid }
      uuid3: { transform: pseudonymous_id, group: uuid }
      bin0: { transform: pseudonymous_id }
      oid: { transform: pseudonymous_id, keep_timestamp: true }
      phone: { transform: fake, kind: phone }
      city: { transform: fake, kind: city }
      company: { transform: fake, kind: company }
      first: { transform: fake, kind: first_name }
      last: { transform: fake, kind: last_name }
      web: { transform: fake, kind: url }
      ip: { transform: fake, kind: ip }
      handle: { transform: fake, kind: username, unique: true }
      code: { transform: hash, length: 4, unique: true }
      isoDay: { transform: date_shift, max_days: 30 }
      isoTime: { transform: date_shift, max_days: 3 }
      when: { transform: date_shift, max_days: 400 }
      qty: { transform: number_noise, percent: 20 }
      big: { transform: number_noise, percent: 1 }
      price: { transform: number_noise, percent: 10 }
      plainNum: { transform: hash, length: 40 }
      nums: { transform: pseudonymous_id, on_type_mismatch: keep }
      contacts.email: { transform: hash_email, group: email, length: 8, unique: true }
      contacts.1.tel: { transform: sequential, deterministic: true, digits: 5, unique: true }
      contacts.0.tel: { transform: sequential_suffix }
      meta.*.secret: { transform: fake, kind: email }
      card: { transform: mask, keep_first: 2, keep_last: 3, char: '#' }
      tokens: { transform: regex_replace, pattern: '[0-9]', replacement: 'N' }
      gone: { transform: unset }
      blank: { transform: constant, value: { $date: '2020-01-01T00:00:00Z' } }
      note: { transform: template, template: '{first}-{isoDay}-{hash:10}' }
      flag: { transform: 'null' }
  app.mixed:
    fields:
      email: { transform: hash_email, group: email, length: 8 }
      v: { transform: fake, kind: full_name, on_type_mismatch: 'null' }
`;

async function digestOf(
  rulesYaml: string,
  hasher: Hasher,
  collections: readonly [string, Document[], Document[]?][],
) {
  const entries = collections.map(([ns, , indexes]) => {
    const [db, collection] = ns.split('.') as [string, string];
    return {
      namespace: { db, collection },
      collectionType: 'collection',
      metadataJson: JSON.stringify({
        indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }, ...(indexes ?? [])],
      }),
    };
  });
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 'test',
      concurrentCollections: 1,
      collections: entries,
    };
    for (const [i, [, docs]] of collections.entries()) {
      const namespace = entries[i]!.namespace;
      for (const doc of docs) yield { type: 'document', namespace, bson: serialize(doc) };
      yield { type: 'end', namespace };
    }
  }
  const hash = createHash('sha256');
  let documents = 0;
  for await (const e of streamAnonymizer(parseRules(rulesYaml, 'golden.yaml'), hasher).apply(events())) {
    if (e.type !== 'document') continue;
    documents++;
    hash.update(e.bson);
  }
  return { documents, sha256: hash.digest('hex') };
}

const customers = (n: number) => Array.from({ length: n }, (_, i) => customer(i));
const EMAIL_UNIQUE = [{ v: 2, key: { email: 1 }, name: 'email_1', unique: true }];

describe('golden output (pseudonyms must not change across versions)', () => {
  it('bench 10-rule config over 20k customers', async () => {
    expect(await digestOf(RULES_10, KEY, [['bench.customers', customers(20_000), EMAIL_UNIQUE]])).toEqual({
      documents: 20_000,
      sha256: 'fb3986a4c8780aaf11a7ce6daaa8c6066115ff995f6406215e2513e7b801c83a',
    });
  });

  it('bench 3-rule config over 20k customers', async () => {
    expect(await digestOf(RULES_3, KEY, [['bench.customers', customers(20_000)]])).toEqual({
      documents: 20_000,
      sha256: '68c88cc3031fa202f7e8bb2f04ea20c10b4b3fbc3b0d084a2e98fb66b8a32d62',
    });
  });

  const variedDocs = () => Array.from({ length: 3000 }, (_, i) => varied(i));
  const mixedDocs = () =>
    Array.from({ length: 500 }, (_, i) => ({
      _id: i,
      email: `person.${i % 300}@mail.example`,
      v: i % 3 === 0 ? new Int32(i) : `Name ${i}`,
    }));

  it('every transform, keyed', async () => {
    expect(
      await digestOf(RULES_VARIED, KEY, [
        ['app.varied', variedDocs()],
        ['app.mixed', mixedDocs()],
      ]),
    ).toEqual({
      documents: 3500,
      sha256: '1a349d5e2d50585dab0cc3d14fac913ac7fdae1dd6d3e9b892f4e4bbafaca186',
    });
  });

  it('every transform, unkeyed', async () => {
    expect(
      await digestOf(RULES_VARIED, unkeyedHasher(), [
        ['app.varied', variedDocs()],
        ['app.mixed', mixedDocs()],
      ]),
    ).toEqual({
      documents: 3500,
      sha256: '9fb3b8b32a3d5b89ed633d6aea3a9d4f5927a38274e63d28341f1839ad7b509c',
    });
  });
});
