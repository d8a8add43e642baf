import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, newTestKey } from '../../helpers/backup-kit.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const key = newTestKey();

interface Manifest {
  id: string;
  databases: string[];
  skipped: { namespace: string; reason: string }[];
  collections: { namespace: string; documents: number }[];
  source: { db: string };
}

describe('backup run --all-databases: every database into one archive, restored database by database', () => {
  const prefix = uniqueDbName('bkall');
  const dbs = [`${prefix}_a`, `${prefix}_b`];
  const store = fileStore();
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  let manifest: Manifest;

  beforeAll(async () => {
    // the same collection name in both databases: namespaces stay db.coll
    await source
      .db(dbs[0])
      .collection<{ _id: number; v: string }>('items')
      .insertMany([
        { _id: 1, v: 'a1' },
        { _id: 2, v: 'a2' },
      ]);
    await source.db(dbs[0]).collection<{ _id: number }>('extra').insertOne({ _id: 1 });
    await source
      .db(dbs[1])
      .collection<{ _id: number; v: string }>('items')
      .insertMany([{ _id: 1, v: 'b1' }]);
    const run = await runCli([
      'backup',
      'run',
      '--uri',
      servers.sourceUri,
      '--all-databases',
      '--include',
      `${prefix}_*.*`,
      '--store',
      store.url,
      '--recipient',
      key.recipient,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    manifest = (
      JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { result: { manifest: Manifest } }
    ).result.manifest;
  }, 240_000);
  afterAll(async () => {
    for (const db of dbs) {
      await source.db(db).dropDatabase();
      await target.db(db).dropDatabase();
    }
    await Promise.all([source.close(), target.close()]);
  });

  it('records the databases, their namespaces as db.coll, and the users and roles FerretDB does not expose', () => {
    expect(manifest.databases).toEqual(dbs);
    expect(manifest.collections.map((c) => [c.namespace, c.documents]).sort()).toEqual(
      [
        [`${dbs[0]}.extra`, 1],
        [`${dbs[0]}.items`, 2],
        [`${dbs[1]}.items`, 1],
      ].sort(),
    );
    expect(manifest.skipped.map((s) => s.namespace)).toEqual(['admin.system.users', 'admin.system.roles']);
  });

  it('dbfork restore refuses it: one target database cannot take several', async () => {
    const plain = await runCli([
      'restore',
      '--snapshot',
      `all-databases@${manifest.id}`,
      '--store',
      store.url,
      '--to',
      servers.targetUri,
      '--db',
      `${prefix}_pr_1`,
      '--no-anonymize',
      '--identity',
      key.file,
    ]);
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('SNAPSHOT_WHOLE_SERVER');
  });

  it('backup restore restores each database under its name, each confirmed', async () => {
    const args = [
      'backup',
      'restore',
      '--store',
      store.url,
      '--snapshot',
      `all-databases@${manifest.id}`,
      '--target-uri',
      servers.targetUri,
      '--identity',
      key.file,
      '--disaster-recovery',
    ];
    const once = await runCli([...args, '--confirm', dbs[0]!, '--confirm', dbs[0]!]);
    expect(once.code).toBe(8);
    expect(once.stderr).toContain(`DR_NOT_CONFIRMED`);
    expect(once.stderr).toContain(dbs[1]);
    for (const db of dbs) expect(await target.db(db).listCollections().toArray()).toEqual([]);
    const both = await runCli([...args, ...dbs.flatMap((db) => ['--confirm', db, '--confirm', db])]);
    expect(both.code, both.stderr).toBe(0);
    for (const db of dbs)
      expect(await rawById(target, db, 'items')).toEqual(await rawById(source, db, 'items'));
    expect(await target.db(dbs[1]).collection('extra').countDocuments()).toBe(0);
  });
});
