import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EJSON, Int32 } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { collection, keySorted, oplog, ts, writeArchive } from './oplog-fixture.js';

const servers = testServers();
const KEY = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const dir = mkdtempSync(join(tmpdir(), 'dbfork-oplog-eq-'));
const target = new MongoClient(servers.targetUri);
const targets: string[] = [];
const targetDb = (): string => {
  const db = `${uniqueDbName('opleq')}_pr_${targets.length + 1}`;
  targets.push(db);
  return db;
};
const RULES = join(dir, 'rules.yaml');
const PEOPLE = collection('crm', 'people');

/** The documents of a collection, keys sorted, in `_id` order, as Extended JSON. */
const documents = async (db: string): Promise<unknown[]> =>
  (await target.db(db).collection('people').find({}).sort({ _id: 1 }).toArray()).map((d) =>
    keySorted(EJSON.serialize(d)),
  );

/** Documents as the capture read them (part of the way through the entries below). */
const initial = [
  { _id: 1, name: 'A', email: 'a@example.com', score: 50, n: 1, contacts: [{ email: 'c@example.com' }] },
  { _id: 2, name: 'Grace', tags: ['p', 'r'], contacts: [{ email: 'y@example.com' }] },
  { _id: 3, name: 'Old', email: 'old@example.com' },
  { _id: 4, name: 'Del' },
];

/** Entries of every kind the rewriter handles. */
const entries = [
  {
    ts: ts(1),
    op: 'i',
    ns: 'crm.people',
    o: {
      _id: 10,
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      score: 80,
      ssn: '123-45-6789',
      tags: ['a', 'b'],
      contacts: [{ email: 'bob@example.com' }],
    },
  },
  {
    ts: ts(2),
    op: 'u',
    ns: 'crm.people',
    o2: { _id: 1 },
    o: {
      $v: 1,
      $set: {
        email: 'new@example.com',
        'contacts.0.email': 'ada@example.com',
        score: 91,
        ssn: '999-99-9999',
      },
      $unset: { n: true },
    },
  },
  {
    ts: ts(3),
    op: 'u',
    ns: 'crm.people',
    o2: { _id: 2 },
    o: {
      $v: new Int32(2),
      diff: {
        u: { name: 'Grace H' },
        i: { email: 'grace@example.com' },
        stags: { a: true, u1: 'q' },
        scontacts: { a: true, s0: { u: { email: 'zed@example.com' } } },
      },
    },
  },
  {
    ts: ts(4),
    op: 'u',
    ns: 'crm.people',
    o2: { _id: 3 },
    o: { _id: 3, name: 'Replaced', email: 'r@example.com', score: 5 },
  },
  { ts: ts(5), op: 'd', ns: 'crm.people', o: { _id: 4 } },
  {
    ts: ts(6),
    op: 'c',
    ns: 'admin.$cmd',
    o: { applyOps: [{ op: 'i', ns: 'crm.people', o: { _id: 11, name: 'Tx', email: 'bob@example.com' } }] },
  },
];

/** The documents after every entry, written out by hand. */
const final = [
  { _id: 1, name: 'A', email: 'new@example.com', score: 91, contacts: [{ email: 'ada@example.com' }] },
  {
    _id: 2,
    name: 'Grace H',
    tags: ['p', 'q'],
    contacts: [{ email: 'zed@example.com' }],
    email: 'grace@example.com',
  },
  { _id: 3, name: 'Replaced', email: 'r@example.com', score: 5 },
  {
    _id: 10,
    name: 'Ada Lovelace',
    email: 'ada@example.com',
    score: 80,
    ssn: '123-45-6789',
    tags: ['a', 'b'],
    contacts: [{ email: 'bob@example.com' }],
  },
  { _id: 11, name: 'Tx', email: 'bob@example.com' },
];

beforeAll(async () => {
  await target.connect();
  writeFileSync(
    RULES,
    `rules:
  people:
    fields:
      email: { transform: hash_email, group: person_email }
      contacts.email: { transform: hash_email, group: person_email }
      name: { transform: fake, kind: full_name }
      score: { transform: number_noise, percent: 10 }
      ssn: { transform: unset }
      tags: { transform: hash, length: 8 }
    keep: [_id, n]
`,
  );
});
afterAll(async () => {
  for (const db of targets) await target.db(db).dropDatabase();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('anonymized oplog entries replay to the anonymized final documents', () => {
  it('inserts, $set/$unset, $v: 2 diffs, replacements, deletes, applyOps: same pseudonyms, groups kept', async () => {
    const withOplog = join(dir, 'with-oplog.archive');
    const finalOnly = join(dir, 'final.archive');
    await writeArchive(withOplog, [
      { entry: PEOPLE, docs: initial },
      { entry: oplog(), docs: entries },
    ]);
    await writeArchive(finalOnly, [{ entry: PEOPLE, docs: final }]);
    const anonymized = join(dir, 'anonymized.archive');
    const anon = await runCli(['anonymize', '--in', withOplog, '--out', anonymized, '--rules', RULES], {
      env: KEY,
    });
    expect(anon.code, anon.stderr).toBe(0);
    const [replayed, direct] = [targetDb(), targetDb()];
    const a = await runCli([
      'restore',
      '--in',
      anonymized,
      '--to',
      servers.targetUri,
      '--db',
      replayed,
      '--no-anonymize',
      '--oplog-replay',
    ]);
    expect(a.code, a.stderr).toBe(0);
    const b = await runCli(
      ['restore', '--in', finalOnly, '--to', servers.targetUri, '--db', direct, '--rules', RULES],
      { env: KEY },
    );
    expect(b.code, b.stderr).toBe(0);
    const docs = await documents(replayed);
    expect(docs).toEqual(await documents(direct));
    expect(docs).toHaveLength(5);
    const text = JSON.stringify(docs);
    for (const raw of ['ada@example.com', 'bob@example.com', 'Grace H', '123-45-6789', '999-99-9999', '"q"'])
      expect(text).not.toContain(raw);
    // the group: bob's address as a contact of 10 and as the email of 11 has one pseudonym
    const byId = new Map(docs.map((d) => [(d as { _id: unknown })._id, d as Record<string, unknown>]));
    const contact = (byId.get(10)?.contacts as { email: string }[])[0]?.email;
    expect(contact).toBe(byId.get(11)?.email);
    expect(byId.get(10)).not.toHaveProperty('ssn');
  });
});

describe('entries that replay could not anonymize fail closed with their optime', () => {
  it('$inc on a noised number, and an insert numbered by a sequential counter', async () => {
    const inc = join(dir, 'inc.archive');
    await writeArchive(inc, [
      { entry: PEOPLE, docs: initial },
      {
        entry: oplog(),
        docs: [{ ts: ts(9), op: 'u', ns: 'crm.people', o2: { _id: 1 }, o: { $inc: { score: 1 } } }],
      },
    ]);
    const out = join(dir, 'inc-out.archive');
    const res = await runCli(['--json', 'anonymize', '--in', inc, '--out', out, '--rules', RULES], {
      env: KEY,
    });
    expect(res.code).toBe(5);
    expect(res.stdout + res.stderr).toContain('TRANSFORM_OPLOG_UNREWRITABLE');
    expect(res.stdout + res.stderr).toContain('Timestamp(1700000009, 1)');
    expect(res.stdout + res.stderr).toContain('$inc');

    const sequential = join(dir, 'sequential.yaml');
    writeFileSync(
      sequential,
      'rules:\n  people:\n    fields:\n      name: { transform: sequential }\n    keep: [_id, email, score, n, contacts, tags, ssn]\n',
    );
    const seq = await runCli(
      [
        'anonymize',
        '--in',
        join(dir, 'with-oplog.archive'),
        '--out',
        join(dir, 'seq.archive'),
        '--rules',
        sequential,
      ],
      { env: KEY },
    );
    expect(seq.code).toBe(5);
    expect(seq.stderr).toContain('Timestamp(1700000001, 1)');
    expect(seq.stderr).toContain('sequential');
  });

  it('a field no rule classifies in an inserted document (strict rules): UNCLASSIFIED_FIELD with the optime', async () => {
    const path = join(dir, 'unclassified.archive');
    await writeArchive(path, [
      { entry: PEOPLE, docs: [] },
      {
        entry: oplog(),
        docs: [{ ts: ts(7), op: 'i', ns: 'crm.people', o: { _id: 5, phone: '+1 555 0100' } }],
      },
    ]);
    const res = await runCli(
      ['anonymize', '--in', path, '--out', join(dir, 'u-out.archive'), '--rules', RULES],
      {
        env: KEY,
      },
    );
    expect(res.code).toBe(8);
    expect(res.stderr).toContain('UNCLASSIFIED_FIELD');
    expect(res.stderr).toContain('phone');
    expect(res.stderr).toContain('Timestamp(1700000007, 1)');
    expect(res.stderr).not.toContain('555');
  });
});
