import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SnapshotDatabase } from '../../../src/mongodb/snapshot-db/snapshot-database.js';
import { SnapshotDbCatalog } from '../../../src/pipeline/snapshot-db/snapshot-db-catalog.js';
import { runCli, runCliWithCrash } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

async function latestOf(client: MongoClient, db: string): Promise<Document | null> {
  return client
    .db(db)
    .collection('snapshot_metadata')
    .findOne({ _id: 'latest' as never });
}

/** `latest` names a complete generation whose collections hold the manifest's counts. */
async function expectLatestComplete(client: MongoClient, db: string, label: string): Promise<string> {
  const latest = await latestOf(client, db);
  expect(latest, label).not.toBeNull();
  const gen = String(latest?.generation);
  const doc = await client
    .db(db)
    .collection('snapshot_metadata')
    .findOne({ _id: `generation:${gen}` as never });
  expect(doc?.status, label).toBe('complete');
  const manifest = JSON.parse(String(doc?.manifestJson)) as {
    collections: { namespace: string; documents: number }[];
  };
  for (const c of manifest.collections) {
    const coll = c.namespace.slice(c.namespace.indexOf('.') + 1);
    expect(await client.db(db).collection(`${gen}.${coll}`).countDocuments(), `${label}: ${coll}`).toBe(
      c.documents,
    );
  }
  return gen;
}

describe('snapshot database refreshes: kills and concurrent restores', () => {
  const prod = uniqueDbName('inc_ref_prod');
  const snap = uniqueDbName('inc_ref_snap');
  const pr = `${uniqueDbName('inc_ref')}_pr_7`;
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const produce = [
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    prod,
    '--store',
    servers.sourceUri,
    '--store-db',
    snap,
    '--no-anonymize',
    '--parallel',
    '2',
  ];

  beforeAll(async () => {
    for (const coll of ['a', 'b', 'c'])
      await source
        .db(prod)
        .collection(coll)
        .insertMany(Array.from({ length: 2500 }, (_, i) => ({ i, coll, v: 'first' })));
  });
  afterAll(async () => {
    await source.db(prod).dropDatabase();
    await source.db(snap).dropDatabase();
    await target.db(pr).dropDatabase();
    await source.close();
    await target.close();
  });

  it('SIGKILL of the producer at 5 points leaves latest on a complete generation; a rerun completes', async () => {
    const first = await runCli(produce);
    expect(first.code, first.stderr).toBe(0);
    let previous = await expectLatestComplete(source, snap, 'first run');
    const points = [
      'snapshot:begun',
      'capture:document:3000',
      'snapshot:before-manifest',
      'snapshot:before-latest',
      'snapshot-db:before-prune',
    ];
    for (const point of points) {
      const ended = await runCliWithCrash(produce, point);
      expect(ended.signal, point).toBe('SIGKILL');
      const now = await expectLatestComplete(source, snap, point);
      // only a kill after latest moved leaves the new generation as latest
      if (point === 'snapshot-db:before-prune') expect(now).not.toBe(previous);
      else expect(now, point).toBe(previous);
      const rerun = await runCli(produce);
      expect(rerun.code, `${point}: ${rerun.stderr}`).toBe(0);
      const after = await expectLatestComplete(source, snap, `${point} rerun`);
      expect(after).not.toBe(now);
      previous = after;
    }
    // what the kills left is gone: only complete generations remain (latest and the one before)
    const gens = await source.db(snap).collection('snapshot_metadata').find({ kind: 'generation' }).toArray();
    expect(gens.every((g) => g.status === 'complete')).toBe(true);
    expect(gens.length).toBeLessThanOrEqual(2);
    const names = (await source.db(snap).listCollections().toArray()).map((c) => c.name);
    const live = new Set(gens.map((g) => String(g.id)));
    expect(names.filter((n) => /^\d{8}T/.test(n) && !live.has(n.slice(0, n.indexOf('.'))))).toEqual([]);
  }, 540_000);

  it('a restore during a refresh paused mid-copy reads the previous complete generation, never a mix, and says so', async () => {
    if ((await latestOf(source, snap)) === null) expect((await runCli(produce)).code).toBe(0);
    const before = await expectLatestComplete(source, snap, 'before refresh');
    // the refresh: a live writer (this process), paused after part of collection a
    const store = new SnapshotDbCatalog(new SnapshotDatabase(servers.sourceUri), 'mongodb://test');
    const pending = await store.begin(snap);
    const upload = pending.upload(`dump/${prod}/a.bson`);
    const { BSON } = await import('bson');
    upload.stream.end(
      Buffer.concat(Array.from({ length: 10 }, (_, i) => BSON.serialize({ i, v: 'second' }))),
    );
    await upload.done;
    try {
      const busy = await runCli(produce);
      expect(busy.code).toBe(6);
      expect(busy.stderr).toContain('SNAPSHOT_DB_BUSY');
      const res = await runCli([
        'restore',
        '--snapshot',
        `${snap}@latest`,
        '--store',
        servers.sourceUri,
        '--to',
        servers.targetUri,
        '--db',
        pr,
        '--no-anonymize',
      ]);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stderr).toContain(`reading ${snap}@${before}: a refresh (${pending.id}) is in progress`);
      expect(await target.db(pr).collection('a').countDocuments({ v: 'first' })).toBe(2500);
      expect(await target.db(pr).collection('a').countDocuments({ v: 'second' })).toBe(0);
      const meta = await target.db(pr).collection('snapshot_metadata').findOne({});
      expect(meta?.snapshotId).toBe(`${snap}@${before}`);
    } finally {
      await store.abort(pending);
    }
    expect(await store.latest(snap)).toBe(before);
  }, 240_000);
});
