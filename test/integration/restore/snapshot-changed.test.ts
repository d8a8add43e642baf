import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restoreToTarget } from '../../../src/pipeline/restore-to-target.js';
import { snapshotRestoreInput } from '../../../src/pipeline/restore-input.js';
import { openSnapshotStore } from '../../../src/store/open-snapshot-store.js';
import type { ResolvedSnapshot, SnapshotCatalog } from '../../../src/store/snapshot-catalog.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe('a snapshot replaced between load and swap: the restore refuses the swap', () => {
  const sourceDb = uniqueDbName('changed_src');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-changed-'));
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  let catalog: SnapshotCatalog;

  beforeAll(async () => {
    await source
      .db(sourceDb)
      .collection('items')
      .insertMany(Array.from({ length: 300 }, (_, i) => ({ i, marker: 'new' })));
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'changing',
      '--store',
      store,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    catalog = await openSnapshotStore(store);
  });

  afterAll(async () => {
    await source.db(sourceDb).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * The snapshot as the restore reads it; once its data has been read whole (loaded, before the
   * swap), `meanwhile` runs: what a producer rewriting the snapshot would do at that moment.
   */
  async function readWith(meanwhile: (manifestFile: string) => void): Promise<ResolvedSnapshot> {
    const snapshot = await catalog.resolve({ name: 'changing', id: 'latest' });
    const m = snapshot.manifest;
    const manifestFile = join(store, m.name, m.id, 'manifest.json');
    return {
      ...snapshot,
      open: async (key) => {
        const stream = await snapshot.open(key);
        stream.once('end', () => meanwhile(manifestFile));
        return stream;
      },
    };
  }

  async function restoreInto(db: string, snapshot: ResolvedSnapshot) {
    const input = snapshotRestoreInput(snapshot, { none: true }, undefined, {}, catalog);
    return restoreToTarget({
      uri: servers.targetUri,
      targetDb: db,
      guardConfig: {},
      events: input.events,
      ...(input.expected ? { expected: input.expected } : {}),
      ...(input.beforeSwap ? { beforeSwap: input.beforeSwap } : {}),
      provenance: input.provenance,
    });
  }

  it('replaced (its manifest rewritten under the same id): SNAPSHOT_CHANGED, the target keeps its old data', async () => {
    const db = `${uniqueDbName('changed')}_pr_1`;
    await target
      .db(db)
      .collection('items')
      .insertMany(Array.from({ length: 7 }, (_, i) => ({ i, marker: 'old' })));
    const result = await restoreInto(
      db,
      await readWith((file) => {
        const manifest = JSON.parse(readFileSync(file, 'utf8')) as { createdAt: string };
        manifest.createdAt = new Date().toISOString(); // a new capture under the same snapshot
        writeFileSync(file, JSON.stringify(manifest));
      }),
    );
    expect(result.error?.code).toBe('SNAPSHOT_CHANGED');
    expect(result.error?.message).toMatch(/was replaced/);
    const items = target.db(db).collection('items');
    expect(await items.countDocuments({ marker: 'old' })).toBe(7);
    expect(await items.countDocuments({ marker: 'new' })).toBe(0);
    const names = (await target.db(db).listCollections().toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('__dbfork_tmp_'))).toEqual([]);
    await target.db(db).dropDatabase();
  });

  it('unchanged: the same restore swaps the new data in', async () => {
    const db = `${uniqueDbName('unchanged')}_pr_1`;
    await target.db(db).collection('items').insertOne({ marker: 'old' });
    const result = await restoreInto(db, await readWith(() => undefined));
    expect(result.error).toBeUndefined();
    expect(await target.db(db).collection('items').countDocuments({ marker: 'new' })).toBe(300);
    await target.db(db).dropDatabase();
  });
});
