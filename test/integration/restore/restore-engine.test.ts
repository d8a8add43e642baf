import {
  Binary,
  BSONRegExp,
  deserialize,
  Double,
  Int32,
  Long,
  ObjectId,
  serialize,
  type Document,
} from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import type { ProgressEvent } from '../../../src/core/progress.js';
import { ArchiveError } from '../../../src/errors/index.js';
import { restoreToTarget, planRestoreDryRun } from '../../../src/pipeline/restore-to-target.js';
import { restoreDump } from '../../../src/restore/restore-engine.js';
import type { RestoreResult } from '../../../src/restore/restore-result.js';
import { evaluateTargetGuard } from '../../../src/target/guard/target-guard.js';
import type { CommandRunner } from '../../../src/mongodb/command-runner.js';
import { MongoDbTarget } from '../../../src/mongodb/mongodb-target.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { fixtureStream, type FixtureCollection } from './dump-fixture.js';

const servers = testServers();
const client = new MongoClient(servers.targetUri);
const created: string[] = [];

/** A fresh ephemeral target name (matches the default `_pr_[0-9]+$`). */
function targetDb(): string {
  const db = `${uniqueDbName('rst')}_pr_1`;
  created.push(db);
  return db;
}

function people(n: number, marker: string): Document[] {
  return Array.from({ length: n }, (_, i) => ({
    _id: new ObjectId(i.toString(16).padStart(24, '0')),
    i: new Int32(i),
    big: Long.fromString(`${9007199254740993n + BigInt(i)}`),
    ratio: new Double(1),
    marker,
    email: `user${i}@example.com`,
    tags: [{ k: 'a', v: i }],
    at: new Date(1_700_000_000_000 + i),
    bin: new Binary(Buffer.from([i % 256, 1, 2]), 4),
    re: new BSONRegExp('^a', 'i'),
    ok: i % 2 === 0,
    none: null,
  }));
}

function collections(marker: string, n = 2500): FixtureCollection[] {
  return [
    {
      name: 'people',
      docs: people(n, marker),
      indexes: [
        { v: 2, key: { email: 1 }, name: 'email_1', unique: true, ns: 'prod.people' },
        { v: 2, key: { i: -1, marker: 1 }, name: 'i_-1_marker_1' },
      ],
    },
    {
      name: 'theaters',
      docs: Array.from({ length: 300 }, (_, i) => ({
        _id: i,
        marker,
        location: { type: 'Point', coordinates: [i % 90, 1] },
      })),
      indexes: [
        { v: 2, key: { location: '2dsphere' }, name: 'location_2dsphere', '2dsphereIndexVersion': 3 },
      ],
    },
    { name: 'empty', docs: [] },
  ];
}

async function rawById(db: string, coll: string): Promise<Map<string, Buffer>> {
  const docs = (await client
    .db(db)
    .collection(coll)
    .find({}, { raw: true })
    .toArray()) as unknown as Buffer[];
  return new Map(docs.map((b) => [JSON.stringify(deserialize(b)._id), Buffer.from(b)]));
}

beforeAll(async () => {
  await client.connect();
});
afterAll(async () => {
  for (const db of created)
    await client
      .db(db)
      .dropDatabase()
      .catch(() => undefined);
  await client.close();
});

describe('restore engine against the real FerretDB target', () => {
  it('restores into a new db: documents byte-equal, supported indexes built, 2dsphere refused with a warning, snapshot_metadata last', async () => {
    const db = targetDb();
    const source = collections('new');
    const events: ProgressEvent[] = [];
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', source),
      onProgress: (e) => events.push(e),
      batchDocuments: 400,
    });
    expect(result.error).toBeUndefined();
    expect(result.swapStrategy).toBe('rename-aside'); // FerretDB answers NotImplemented to dropTarget
    expect(result.collections.map((c) => [c.target, c.status, c.documents])).toEqual([
      ['people', 'restored', 2500],
      ['theaters', 'restored', 300],
      ['empty', 'restored', 0],
    ]);
    for (const c of source) {
      const actual = await rawById(db, c.name);
      expect(actual.size).toBe(c.docs.length);
      for (const doc of c.docs) {
        expect(
          actual.get(JSON.stringify(deserialize(serialize(doc))._id))?.equals(Buffer.from(serialize(doc))),
        ).toBe(true);
      }
    }
    const peopleIndexes = await client.db(db).collection('people').indexes();
    expect(peopleIndexes.map((i) => i.name).sort()).toEqual(['_id_', 'email_1', 'i_-1_marker_1']);
    expect(peopleIndexes.find((i) => i.name === 'email_1')?.unique).toBe(true);
    const theaters = result.collections.find((c) => c.target === 'theaters');
    expect(theaters?.indexesRejected.map((r) => r.name)).toEqual(['location_2dsphere']);
    expect(result.warnings.some((w) => w.includes('location_2dsphere'))).toBe(true);
    const meta = await client
      .db(db)
      .collection('snapshot_metadata')
      .findOne({ _id: 'latest' as never });
    expect(meta?.collections).toEqual([
      { name: 'empty', documents: 0, bytes: 0 },
      { name: 'people', documents: 2500, bytes: expect.any(Number) },
      { name: 'theaters', documents: 300, bytes: expect.any(Number) },
    ]);
    expect(meta?.anonymized).toBe('none');
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(['empty', 'people', 'snapshot_metadata', 'theaters']);
    const done = events.filter((e) => e.type === 'collection-done');
    expect(done.map((e) => e.namespace).sort()).toEqual(['prod.empty', 'prod.people', 'prod.theaters']);
  });

  it('replaces an older copy and leaves collections the dump does not hold alone', async () => {
    const db = targetDb();
    await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('old', 100)),
    });
    await client.db(db).collection('unrelated').insertOne({ keep: true });
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('new')),
    });
    expect(result.error).toBeUndefined();
    expect(await client.db(db).collection('people').countDocuments({ marker: 'new' })).toBe(2500);
    expect(await client.db(db).collection('people').countDocuments({ marker: 'old' })).toBe(0);
    expect(await client.db(db).collection('unrelated').countDocuments()).toBe(1);
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('__dbfork_'))).toEqual([]);
  });

  it('a count mismatch against the manifest swaps nothing: the old copy stays, temporaries are dropped', async () => {
    const db = targetDb();
    await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('old', 100)),
    });
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('new')),
      expected: { collections: [{ namespace: 'prod.people', documents: 2499 }] },
    });
    expect(result.error?.code).toBe('TARGET_VERIFY_FAILED');
    expect(result.collections.find((c) => c.target === 'people')?.status).toBe('failed');
    expect(await client.db(db).collection('people').countDocuments({ marker: 'old' })).toBe(100);
    expect(await client.db(db).collection('theaters').countDocuments({ marker: 'old' })).toBe(300);
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('__dbfork_'))).toEqual([]);
  });

  it('checks sha256 against the manifest: a wrong digest fails verification, the right one passes', async () => {
    const { createHash } = await import('node:crypto');
    const source = collections('new', 50);
    const hash = createHash('sha256');
    for (const d of source[0]?.docs ?? []) hash.update(serialize(d));
    const good = hash.digest('hex');
    const db = targetDb();
    const ok = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', source),
      expected: { collections: [{ namespace: 'prod.people', documents: 50, sha256: good }] },
    });
    expect(ok.error).toBeUndefined();
    expect(ok.collections.find((c) => c.target === 'people')?.verification?.checksum).toBe('ok');
    const bad = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', source),
      expected: { collections: [{ namespace: 'prod.people', documents: 50, sha256: 'f'.repeat(64) }] },
    });
    expect(bad.error?.code).toBe('TARGET_VERIFY_FAILED');
    expect(bad.collections.find((c) => c.target === 'people')?.verification?.checksum).toBe('mismatch');
  });

  it('--collections and --ns-from/--ns-to: only the subset, under the mapped names', async () => {
    const db = targetDb();
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('new', 10)),
      collections: ['people', 'theaters'],
      nsFrom: ['prod.$c$'],
      nsTo: [`${db}.renamed_$c$`],
    });
    expect(result.error).toBeUndefined();
    expect(result.collections.map((c) => [c.target, c.status])).toEqual([
      ['renamed_people', 'restored'],
      ['renamed_theaters', 'restored'],
      ['renamed_empty', 'skipped'],
    ]);
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    expect(names).toEqual(['renamed_people', 'renamed_theaters', 'snapshot_metadata']);
  });

  it('--strict-indexes: a refused index fails the run and swaps nothing', async () => {
    const db = targetDb();
    await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('old', 10)),
      collections: ['people'],
    });
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('new', 10)),
      strictIndexes: true,
    });
    expect(result.error?.code).toBe('TARGET_INDEX_REJECTED');
    expect(await client.db(db).collection('people').countDocuments({ marker: 'old' })).toBe(10);
    expect((await client.db(db).listCollections({ name: 'theaters' }).toArray()).length).toBe(0);
  });

  it('pulls the stream no faster than writes complete (bounded read-ahead)', async () => {
    const db = targetDb();
    const counter = { pulled: 0 };
    let maxAhead = 0;
    let written = 0;
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream(
        'prod',
        [{ name: 'big', docs: Array.from({ length: 6000 }, (_, i) => ({ _id: i, pad: 'x'.repeat(100) })) }],
        counter,
      ),
      batchDocuments: 100,
      insertWorkers: 2,
      onProgress: (e) => {
        if (e.type === 'collection-progress') written = e.documents;
        maxAhead = Math.max(maxAhead, counter.pulled - written);
      },
    });
    expect(result.error).toBeUndefined();
    // at most: 2 batches in flight + 1 batch filling + the document being read
    expect(maxAhead).toBeLessThanOrEqual(2 * 100 + 100 + 1);
    expect(counter.pulled).toBe(6000);
  });

  it('dry run: plan with target names and guard verdict, nothing written', async () => {
    const db = targetDb();
    const dry = await planRestoreDryRun({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('new', 5)),
    });
    expect(dry.plan.guard.allowed).toBe(true);
    expect(dry.plan.collections.map((c) => c.target)).toEqual(['people', 'theaters', 'empty']);
    expect(dry.plan.collections[0]?.indexes.map((i) => i.name)).toEqual(['email_1', 'i_-1_marker_1']);
    const dbs = (await client.db('admin').admin().listDatabases()).databases.map((d) => d.name);
    expect(dbs).not.toContain(db);
  });

  it('rename with dropTarget (seam: FerretDB lacks it, so a runner emulates it with drop + rename; the atomicity itself is NOT exercised here)', async () => {
    const db = targetDb();
    await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('old', 10)),
    });
    const seen: string[] = [];
    const base: CommandRunner = (name, command) => client.db(name).command(command);
    const emulating: CommandRunner = async (name, command) => {
      if ('renameCollection' in command && command.dropTarget === true) {
        seen.push(`${String(command.renameCollection)} -> ${String(command.to)}`);
        const to = String(command.to);
        const dot = to.indexOf('.');
        await client
          .db(to.slice(0, dot))
          .collection(to.slice(dot + 1))
          .drop()
          .catch(() => false);
        const { dropTarget: _drop, ...rest } = command;
        return base(name, rest);
      }
      return base(name, command);
    };
    const result = await restoreDump({
      target: new MongoDbTarget(client, db, { commandRunner: emulating }),
      targetDb: db,
      guard: evaluateTargetGuard({ uri: servers.targetUri, db }),
      events: fixtureStream('prod', collections('new', 20)),
      swapStrategy: 'rename-drop-target',
    });
    expect(result.error).toBeUndefined();
    expect(result.swapStrategy).toBe('rename-drop-target');
    expect(seen.map((s) => s.split(' -> ')[1])).toEqual([`${db}.people`, `${db}.theaters`, `${db}.empty`]);
    expect(await client.db(db).collection('people').countDocuments({ marker: 'new' })).toBe(20);
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('__dbfork_'))).toEqual([]);
  });

  it('refuses to write when handed a refusing verdict (defence in depth)', async () => {
    const db = 'admin';
    const result = await restoreDump({
      target: new MongoDbTarget(client, db),
      targetDb: db,
      guard: evaluateTargetGuard({ uri: servers.targetUri, db }),
      events: fixtureStream('prod', collections('new', 5)),
    });
    expect(result.error?.code).toBe('TARGET_PROTECTED');
    const names = (await client.db('admin').listCollections({}, { nameOnly: true }).toArray()).map(
      (c) => c.name,
    );
    expect(names).not.toContain('people');
  });
  /**
   * Restore 100 "old" documents into a fresh target, then a "new" stream that throws `error` at its
   * 1,500th document; returns the failed result and the target for assertions.
   */
  async function restoreFailingAt(error: Error): Promise<{ db: string; result: RestoreResult }> {
    const db = targetDb();
    await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: fixtureStream('prod', collections('old', 100)),
    });
    async function* failing(): AsyncGenerator<DumpEvent> {
      let n = 0;
      for await (const event of fixtureStream('prod', collections('new'))) {
        if (event.type === 'document' && ++n === 1500) throw error;
        yield event;
      }
    }
    const result = await restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: failing(),
    });
    return { db, result };
  }

  /** The old copy is still there and no temporary collection is left. */
  async function expectOldCopyOnly(db: string): Promise<void> {
    expect(await client.db(db).collection('people').countDocuments({ marker: 'old' })).toBe(100);
    const names = (await client.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('__dbfork_'))).toEqual([]);
  }

  it('a stream that fails midway (a corrupt archive) swaps nothing: the old copy stays, temporaries are dropped', async () => {
    const { db, result } = await restoreFailingAt(new ArchiveError('ARCHIVE_CRC_MISMATCH', 'bit flip'));
    expect(result.error?.code).toBe('ARCHIVE_CRC_MISMATCH');
    await expectOldCopyOnly(db);
  });

  it('an I/O error of the input stream is blamed on the dump (archive), not the target: nothing swapped', async () => {
    const { db, result } = await restoreFailingAt(
      Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }),
    );
    expect(result.error?.category).toBe('archive');
    expect(result.error?.code).toBe('DUMP_READ_FAILED');
    await expectOldCopyOnly(db);
  });
});
