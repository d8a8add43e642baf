/**
 * Golden outputs of the transforms added after the first release: the SHA-256 of every output byte of
 * a fixed run. As in ../golden-output.test.ts, a digest change means pseudonyms changed: do not update
 * it without a changelog entry that says so. (Fakes depend on @faker-js/faker's data; phones on
 * libphonenumber-js's metadata.)
 */
import { createHash } from 'node:crypto';
import { Double, Int32, Long, serialize, type Document } from 'bson';
import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../../src/config/load-rules.js';
import type { DumpEvent } from '../../../../src/core/dump-event.js';
import { keyedHasher } from '../../../../src/transform/hasher.js';
import { streamAnonymizer } from '../../../../src/transform/stream-anonymizer.js';

const KEY = keyedHasher(Buffer.from('bench-key-0123456789abcdef'));
const FIRST = ['Ada', 'Grace', 'Alan', 'Zorvath', 'Quilleen'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Mabrix'];

function doc(i: number): Document {
  const first = FIRST[i % FIRST.length]!;
  const last = LAST[i % LAST.length]!;
  const email = `${first.toLowerCase()}.${last.toLowerCase()}${i}@mail.example`;
  return {
    _id: i,
    kind: ['person', 'company', 'lead'][i % 3],
    first,
    last,
    email,
    note: `Ask ${first} ${last} (${email}, +44 20 7946 ${String(1000 + i).slice(-4)}) about card 4111 1111 1111 ${String(1111 + i).slice(-4)}.`,
    login: `${first[0]}${last}`.toLowerCase(),
    card: `5500 0000 0000 ${String(i).padStart(4, '0')}`,
    iban: `DE89 3704 0044 0532 01${String(i % 10000).padStart(4, '0')}`,
    account: `AC-${String(100000 + i)}`,
    age: new Int32(20 + (i % 60)),
    score: new Double((i % 1000) / 3),
    big: Long.fromNumber(i * 1_000_003),
    born: new Date(Date.UTC(1950 + (i % 50), i % 12, (i % 28) + 1)),
    visit: new Date(Date.UTC(2024, i % 12, (i % 28) + 1, i % 24, 17)),
    home: { type: 'Point', coordinates: [new Double(2.35 + i * 1e-4), new Double(48.85 - i * 1e-4)] },
    phone: `+33 6 12 34 ${String(10 + (i % 90))} ${String(10 + ((i * 7) % 90))}`,
    tier: `t${i % 7}`,
    code: `c${i}`,
    maybe: `m${i}`,
    greeting: `g${i % 50}`,
    payload: JSON.stringify({ contact: { email }, n: i }),
    deep: { a: [{ email }, { b: { email } }] },
    job: `job ${i % 30}`,
  };
}

const RULES = `
rules:
  app.people:
    fields:
      first: { transform: person, part: first_name, seed_field: email, identity: customer }
      last: { transform: person, part: last_name, seed_field: email, identity: customer }
      login: { transform: person, part: username, seed_field: email, identity: customer }
      email: { transform: hash_email, group: email }
      note: { transform: redact, email_group: email, name_fields: [first, last] }
      card: { transform: card_number }
      iban: { transform: iban }
      account: { transform: fpe }
      age: { transform: age_from, birth_date: born, as_of: 2026-01-01 }
      score: { transform: number_bucket, size: 10 }
      big: { transform: number_noise, percent: 10, min: 0, max: 1000000000 }
      born: { transform: date_shift, max_days: 200, keep: month }
      visit: { transform: date_shift, max_days: 60, keep: weekday }
      home: { transform: geo_jitter, radius_m: 250 }
      phone: { transform: phone }
      tier: { transform: choice, values: [bronze, silver, gold] }
      code: { transform: hash, length: 8, alphabet: ABCDEFGHJKLMNPQRSTUVWXYZ23456789 }
      maybe: { transform: hash, nullify_fraction: 0.3 }
      greeting: { transform: template, template: 'Hi {fake:first_name} from {fake:city}' }
      kind: { transform: date_truncate, to: day, on_type_mismatch: keep, when: { kind: { $type: date } } }
      payload.$json.contact.email: { transform: hash_email, group: email }
      deep.**.email: { transform: hash_email, group: email }
      job: { transform: fake, kind: job_title, locale: de }
`;

async function digestOf(): Promise<{ documents: number; sha256: string }> {
  const namespace = { db: 'app', collection: 'people' };
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 'test',
      concurrentCollections: 1,
      collections: [
        {
          namespace,
          collectionType: 'collection',
          metadataJson: JSON.stringify({ indexes: [{ v: 2, key: { _id: 1 }, name: '_id_' }] }),
        },
      ],
    };
    for (let i = 0; i < 1000; i++) yield { type: 'document', namespace, bson: serialize(doc(i)) };
    yield { type: 'end', namespace };
  }
  const hash = createHash('sha256');
  let documents = 0;
  for await (const e of streamAnonymizer(parseRules(RULES, 'golden.yaml'), KEY).apply(events())) {
    if (e.type !== 'document') continue;
    documents++;
    hash.update(e.bson);
  }
  return { documents, sha256: hash.digest('hex') };
}

describe('golden output of the newer transforms (pseudonyms must not change across versions)', () => {
  it('redact, person, card_number, iban, fpe, age_from, number_bucket, date_shift keep, geo_jitter, phone, choice, hash alphabet, nullify_fraction, template fakes, $json, **, fake locale', async () => {
    expect(await digestOf()).toEqual({
      documents: 1000,
      sha256: '73f89e81a6f4e05a99178a9daf61c95855f0ef6b2f12f18406e002b851352621',
    });
  });
});
