import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, EJSON, type Document } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const KEY = { DBFORK_ANONYMIZATION_KEY: 'ebs-in-place-test-key-0123456789' };
const COLLECTIONS = ['users', 'sessions'] as const;

/** The users and sessions rules of examples/atlas-sample.rules.yaml, keyed by collection name. */
const RULES = `
rules:
  users:
    fields:
      name: { transform: fake, kind: full_name }
      email: { transform: hash_email, group: email }
      password: { transform: constant, value: 'x' }
    keep: [_id, preferences]
  sessions:
    fields:
      user_id: { transform: hash_email, group: email }
      jwt: { transform: unset }
    keep: [_id]
`;

function bsonFile(file: string): Document[] {
  const bytes = readFileSync(file);
  const out: Document[] = [];
  for (let at = 0; at < bytes.length; at += bytes.readInt32LE(at))
    out.push(deserialize(bytes.subarray(at, at + bytes.readInt32LE(at))));
  return out;
}

const canonical = (docs: Document[]): string[] =>
  docs.map((d) => EJSON.stringify(d, { relaxed: false })).sort();

describe('ebs anonymize-local on FerretDB: in place, the same pseudonyms as dbfork anonymize', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-ebs-inplace-'));
  const db = uniqueDbName('ebs_inplace');
  const client = new MongoClient(servers.targetUri);
  const rules = join(dir, 'rules.yaml');

  beforeAll(async () => {
    writeFileSync(rules, RULES);
    loadAtlasCollections(
      servers,
      servers.targetUri,
      db,
      COLLECTIONS.map((c) => ['sample_mflix', c] as const),
    );
    // a unique index: updating values where they are could collide with a value not yet rewritten
    await client.db(db).collection('users').createIndex({ email: 1 }, { unique: true });
    const dump = join(dir, 'dump', db);
    mkdirSync(dump, { recursive: true });
    for (const c of COLLECTIONS) {
      copyFileSync(join(ATLAS_DUMP, 'sample_mflix', `${c}.bson`), join(dump, `${c}.bson`));
      copyFileSync(join(ATLAS_DUMP, 'sample_mflix', `${c}.metadata.json`), join(dump, `${c}.metadata.json`));
    }
  }, 60_000);

  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('rewrites every collection where it is, equal document for document to the streaming path', async () => {
    const raw = await client.db(db).collection('users').find().toArray();
    expect(raw.length).toBeGreaterThan(100);

    const streamed = await runCli(
      ['anonymize', '--in', join(dir, 'dump'), '--out', join(dir, 'out'), '--rules', rules],
      { env: KEY },
    );
    expect(streamed.stderr).toBe('');
    expect(streamed.code).toBe(0);

    const inPlace = await runCli(
      ['ebs', 'anonymize-local', '--uri', servers.targetUri, '--db', db, '--rules', rules, '--json'],
      { env: KEY },
    );
    expect(inPlace.stderr).toBe('');
    expect(inPlace.code).toBe(0);

    for (const c of COLLECTIONS) {
      const expected = bsonFile(join(dir, 'out', db, `${c}.bson`));
      const actual = await client.db(db).collection(c).find().toArray();
      expect(actual.length).toBe(expected.length);
      expect(canonical(actual)).toEqual(canonical(expected));
    }
    const users = await client.db(db).collection('users').find().toArray();
    const rawEmails = new Set(raw.map((u) => u.email as string));
    expect(users.some((u) => rawEmails.has(u.email as string))).toBe(false);
    const names = (await client.db(db).listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['sessions', 'snapshot_metadata', 'users']);
    const indexes = await client.db(db).collection('users').indexes();
    expect(indexes.find((i) => i.name === 'email_1')?.unique).toBe(true);
    const metadata = await client.db(db).collection('snapshot_metadata').findOne({});
    expect(metadata?.anonymized).toBeTruthy();
  }, 240_000);

  it('refuses when the rules leave a collection unclassified, and changes nothing', async () => {
    const other = uniqueDbName('ebs_inplace_refused');
    await client.db(other).collection('unlisted').insertOne({ email: 'a@example.com' });
    try {
      const run = await runCli(
        ['ebs', 'anonymize-local', '--uri', servers.targetUri, '--db', other, '--rules', rules],
        {
          env: KEY,
        },
      );
      expect(run.code).toBe(8);
      expect(await client.db(other).collection('unlisted').findOne({})).toMatchObject({
        email: 'a@example.com',
      });
    } finally {
      await client.db(other).dropDatabase();
    }
  }, 60_000);
});
