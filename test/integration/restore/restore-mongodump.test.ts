import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deserialize, Double, Int32, Long } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../../helpers/servers.js';
import { readDump } from '../../../src/archive/index.js';

const servers = testServers();
const source = new MongoClient(servers.sourceUri);
const target = new MongoClient(servers.targetUri);
const dir = mkdtempSync(join(tmpdir(), 'dbfork-mongodump-'));
const sourceDb = uniqueDbName('mdsrc');
const targets: string[] = [];

async function rawDocs(client: MongoClient, db: string, coll: string): Promise<Map<string, string>> {
  const docs = (await client
    .db(db)
    .collection(coll)
    .find({}, { raw: true })
    .toArray()) as unknown as Buffer[];
  return new Map(docs.map((b) => [JSON.stringify(deserialize(b)._id), Buffer.from(b).toString('hex')]));
}

async function expectSameAsSource(db: string): Promise<void> {
  for (const coll of ['orders', 'users']) {
    expect(await rawDocs(target, db, coll)).toEqual(await rawDocs(source, sourceDb, coll));
  }
  const idx = (await target.db(db).collection('users').indexes()).map((i) => i.name).sort();
  expect(idx).toEqual(['_id_', 'email_1']);
  expect(await target.db(db).collection('snapshot_metadata').countDocuments()).toBe(1);
}

beforeAll(async () => {
  await Promise.all([source.connect(), target.connect()]);
  await source
    .db(sourceDb)
    .collection<{ _id: number }>('users')
    .insertMany(
      Array.from({ length: 700 }, (_, i) => ({
        _id: i,
        email: `u${i}@example.com`,
        n: new Int32(i),
        l: Long.fromNumber(i * 1e10),
        d: new Double(i / 3),
      })),
    );
  await source.db(sourceDb).collection('users').createIndex({ email: 1 }, { unique: true });
  await source
    .db(sourceDb)
    .collection('orders')
    .insertMany(
      Array.from({ length: 1200 }, (_, i) => ({
        user: i % 700,
        total: new Double(i * 1.5),
        at: new Date(1e12 + i),
      })),
    );
});
afterAll(async () => {
  await source.db(sourceDb).dropDatabase();
  for (const db of targets) await target.db(db).dropDatabase();
  await Promise.all([source.close(), target.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('dbfork restore of dumps made by the real mongodump', () => {
  it('a directory dump (mongodump --out): documents byte-equal to the source, indexes, snapshot_metadata', async () => {
    const out = join(dir, 'dump');
    execFileSync(
      join(servers.toolsBin, 'mongodump'),
      [`--uri=${servers.sourceUri}`, `--db=${sourceDb}`, `--out=${out}`],
      { stdio: 'pipe' },
    );
    const db = `${uniqueDbName('mddir')}_pr_1`;
    targets.push(db);
    const res = await runCli([
      'restore',
      '--in',
      join(out, sourceDb),
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    await expectSameAsSource(db);
  });

  it('a gzipped archive on stdin (mongodump --archive --gzip | dbfork restore --in -), CRCs checked', async () => {
    const db = `${uniqueDbName('mdgz')}_pr_1`;
    targets.push(db);
    const dump = spawn(
      join(servers.toolsBin, 'mongodump'),
      [`--uri=${servers.sourceUri}`, `--db=${sourceDb}`, '--archive', '--gzip'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const restore = spawn(
      process.execPath,
      [CLI, '--json', 'restore', '--in', '-', '--to', servers.targetUri, '--db', db, '--no-anonymize'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    dump.stdout.pipe(restore.stdin);
    const out: Buffer[] = [];
    restore.stdout.on('data', (b: Buffer) => out.push(b));
    const code = await new Promise<number | null>((resolve) => restore.on('close', resolve));
    expect(code).toBe(0);
    const result = JSON.parse(Buffer.concat(out).toString('utf8').trim().split('\n').at(-1) ?? '{}')
      .result as {
      collections: { target: string; verification: { checksum: string; checked: string[] } }[];
    };
    for (const c of result.collections)
      expect(c.verification).toMatchObject({ checksum: 'ok', checked: ['archive-crc64'] });
    await expectSameAsSource(db);
  });
  it('the Atlas sample dump (sample_mflix folder): every document byte-equal to the dump, the 2dsphere index refused with a warning', async () => {
    const db = `${uniqueDbName('mflix')}_pr_1`;
    targets.push(db);
    const res = await runCli([
      '--json',
      'restore',
      '--in',
      join(ATLAS_DUMP, 'sample_mflix'),
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const expected = new Map<string, Map<string, string>>();
    for await (const event of readDump(join(ATLAS_DUMP, 'sample_mflix'))) {
      if (event.type !== 'document') continue;
      const coll = expected.get(event.namespace.collection) ?? new Map<string, string>();
      coll.set(JSON.stringify(deserialize(event.bson)._id), Buffer.from(event.bson).toString('hex'));
      expected.set(event.namespace.collection, coll);
    }
    expect([...expected.keys()].sort()).toEqual(['sessions', 'theaters', 'users']);
    for (const [coll, docs] of expected) expect(await rawDocs(target, db, coll)).toEqual(docs);
    const result = JSON.parse(res.stdout.trim().split('\n').at(-1) ?? '{}').result as { warnings: string[] };
    expect(result.warnings.some((w) => w.includes('theaters') && w.includes('2dsphere'))).toBe(true);
  });
});
