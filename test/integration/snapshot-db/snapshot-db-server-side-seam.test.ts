import { MongoClient, MongoServerError, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CopyCommandRunner } from '../../../src/mongodb/snapshot-db/server-side-copy.js';
import { SnapshotDatabase } from '../../../src/mongodb/snapshot-db/snapshot-database.js';
import { createSnapshot } from '../../../src/pipeline/create-snapshot.js';
import { SnapshotDbCatalog } from '../../../src/pipeline/snapshot-db/snapshot-db-catalog.js';
import { restoreServerSide } from '../../../src/pipeline/snapshot-db/restore-server-side.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

interface Recorded {
  readonly db: string;
  readonly name: string;
  readonly command: Document;
  readonly readPreference?: string;
}

/**
 * A recording runner around a real FerretDB connection that answers `$out` as MongoDB does
 * (FerretDB v1 answers NotImplemented): the probe's invalid target is refused as InvalidNamespace,
 * and a real `$out` is carried out by the test's own client (replace the destination with the
 * source's documents, as `$out` does). Everything else goes to FerretDB as sent.
 */
function emulateOut(helper: MongoClient, log: Recorded[]) {
  return (run: CopyCommandRunner): CopyCommandRunner =>
    async (db, command, readPreference) => {
      const name = Object.keys(command)[0] ?? '';
      log.push({ db, name, command, ...(readPreference ? { readPreference } : {}) });
      const pipeline = (command.pipeline ?? []) as Document[];
      const out = pipeline.find((s) => '$out' in s)?.$out as { db: string; coll: string } | undefined;
      if (name === 'aggregate' && out) {
        if (out.coll === '')
          throw new MongoServerError({
            ok: 0,
            code: 73,
            codeName: 'InvalidNamespace',
            errmsg: 'Invalid $out target',
          });
        const docs = await helper
          .db(db)
          .collection(String(command.aggregate))
          .find({}, { sort: { _id: 1 } })
          .toArray();
        const dest = helper.db(out.db).collection(out.coll);
        await dest.drop().catch(() => false);
        await helper.db(out.db).createCollection(out.coll);
        if (docs.length > 0) await dest.insertMany(docs);
        return { ok: 1, cursor: { firstBatch: [], id: 0, ns: `${db}.${String(command.aggregate)}` } };
      }
      if (name === 'aggregate' && pipeline.some((s) => '$group' in s)) {
        // FerretDB v1 has no $bsonSize: count and size as the server would
        const raw = await helper
          .db(db)
          .collection(String(command.aggregate))
          .find({}, { raw: true })
          .toArray();
        const bytes = raw.reduce((n, d) => n + (d as unknown as Uint8Array).byteLength, 0);
        return { ok: 1, cursor: { firstBatch: [{ _id: null, n: raw.length, bytes }], id: 0 } };
      }
      return run(db, command, readPreference);
    };
}

describe('seam: a producer on a same-cluster store copies with $out (recording runner around FerretDB)', () => {
  const prod = uniqueDbName('inc_seam_prod');
  const pr = `${uniqueDbName('inc_seam')}_pr_7`;
  const snap = uniqueDbName('inc_seam_snap');
  const helper = new MongoClient(servers.sourceUri);
  const log: Recorded[] = [];
  const order: string[] = [];

  beforeAll(async () => {
    await helper
      .db(prod)
      .collection<{ _id: number; a: string }>('alpha')
      .insertMany(Array.from({ length: 40 }, (_, i) => ({ _id: i, a: `v${i}` })));
    await helper
      .db(prod)
      .collection('beta')
      .insertMany(Array.from({ length: 25 }, (_, i) => ({ b: i })));
    await helper.db(prod).collection('beta').createIndex({ b: 1 }, { name: 'b_1' });
  });
  afterAll(async () => {
    await helper.db(prod).dropDatabase();
    await helper.db(snap).dropDatabase();
    await helper.db(pr).dropDatabase();
    await helper.close();
  });

  it('issues one $out per collection into the new generation, then completes it, then replaces latest; no find/getMore on production', async () => {
    const database = new SnapshotDatabase(servers.sourceUri);
    const complete = database.completeGeneration.bind(database);
    const writeLatest = database.writeLatest.bind(database);
    database.completeGeneration = async (...args) => {
      order.push('generation-complete');
      return complete(...args);
    };
    database.writeLatest = async (...args) => {
      order.push('latest');
      return writeLatest(...args);
    };
    const store = new SnapshotDbCatalog(database, 'mongodb://seam');
    const info: string[] = [];
    const wrap = emulateOut(helper, log);
    const manifest = await createSnapshot({
      uri: servers.sourceUri,
      db: prod,
      name: snap,
      store,
      format: 'directory',
      gzip: false,
      requireServerSide: true,
      wrapRunner: (run) => {
        const inner = wrap(run);
        return async (db, command, rp) => {
          const reply = await inner(db, command, rp);
          if (command.aggregate && JSON.stringify(command.pipeline).includes('$out'))
            order.push(`$out ${String(command.aggregate)}`);
          return reply;
        };
      },
      onProgress: (e) => {
        if (e.type === 'info') info.push(e.message);
      },
    });
    const outs = log.filter(
      (r) => r.name === 'aggregate' && JSON.stringify(r.command.pipeline).includes('"$out"'),
    );
    const realOuts = outs.filter((r) => (r.command.pipeline as Document[])[0]?.$out.coll !== '');
    expect(realOuts.map((r) => [r.db, r.command.aggregate, r.command.pipeline])).toEqual([
      [prod, 'alpha', [{ $out: { db: snap, coll: `${manifest.id}.alpha` } }]],
      [prod, 'beta', [{ $out: { db: snap, coll: `${manifest.id}.beta` } }]],
    ]);
    expect(realOuts.map((r) => r.readPreference)).toEqual(['secondaryPreferred', 'secondaryPreferred']);
    expect(order).toEqual(['$out alpha', '$out beta', 'generation-complete', 'latest']);
    const onProd = log.filter((r) => r.db === prod).map((r) => r.name);
    expect(onProd).not.toContain('find');
    expect(onProd).not.toContain('getMore');
    expect(new Set(onProd)).toEqual(new Set(['listCollections', 'aggregate', 'listIndexes']));
    expect(info.join('\n')).toContain('copying server-side with $out');
    // the result: the generation's collections, their indexes and latest
    const latest = (await helper
      .db(snap)
      .collection('snapshot_metadata')
      .findOne({ _id: 'latest' as never })) as Document;
    expect(latest.method).toBe('$out');
    expect(latest.generation).toBe(manifest.id);
    expect(await helper.db(snap).collection(`${manifest.id}.alpha`).countDocuments()).toBe(40);
    const idx = (await helper.db(snap).collection(`${manifest.id}.beta`).listIndexes().toArray()).map(
      (i) => i.name,
    );
    expect(idx).toContain('b_1');
    expect(manifest.collections.map((c) => [c.namespace, c.documents, c.sha256 ?? null])).toEqual([
      [`${prod}.alpha`, 40, null],
      [`${prod}.beta`, 25, null],
    ]);
  });

  it('a PR restore on the same cluster issues one $out per collection into a temporary, then swaps and writes snapshot_metadata', async () => {
    const store = new SnapshotDbCatalog(new SnapshotDatabase(servers.sourceUri), 'mongodb://seam');
    const id = await store.latest(snap);
    expect(id).not.toBeNull();
    const restoreLog: Recorded[] = [];
    await helper
      .db(pr)
      .collection('alpha')
      .insertOne({ _id: 'old' as never, stale: true });
    const result = await restoreServerSide({
      store,
      snapshotId: `${snap}@${String(id)}`,
      uri: servers.sourceUri,
      targetDb: pr,
      guardConfig: { protectedDbs: [prod, snap] },
      provenance: {
        snapshotId: `${snap}@${String(id)}`,
        source: { uri: servers.sourceUri, db: prod },
        takenAt: new Date(),
        rulesDigest: null,
        anonymized: 'none',
      },
      requireServerSide: true,
      wrapRunner: emulateOut(helper, restoreLog),
    });
    expect(result?.error).toBeUndefined();
    const outs = restoreLog.filter(
      (r) => r.name === 'aggregate' && JSON.stringify(r.command.pipeline).includes('"$out"'),
    );
    const real = outs.filter((r) => (r.command.pipeline as Document[])[0]?.$out.coll !== '');
    expect(real.map((r) => [r.db, r.command.aggregate])).toEqual([
      [snap, `${String(id)}.alpha`],
      [snap, `${String(id)}.beta`],
    ]);
    expect(real.map((r) => ((r.command.pipeline as Document[])[0]?.$out as Document).db)).toEqual([pr, pr]);
    expect(
      real.every((r) =>
        String(((r.command.pipeline as Document[])[0]?.$out as Document).coll).startsWith('__dbfork_tmp_'),
      ),
    ).toBe(true);
    expect(restoreLog.some((r) => r.db === prod)).toBe(false);
    const names = (await helper.db(pr).listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(['alpha', 'beta', 'snapshot_metadata']);
    expect(await helper.db(pr).collection('alpha').countDocuments()).toBe(40);
    expect(await helper.db(pr).collection('alpha').countDocuments({ stale: true })).toBe(0);
    const idx = (await helper.db(pr).collection('beta').listIndexes().toArray()).map((i) => i.name);
    expect(idx).toContain('b_1');
    const meta = await helper.db(pr).collection('snapshot_metadata').findOne({});
    expect(meta?.snapshotId).toBe(`${snap}@${String(id)}`);
  });
});
