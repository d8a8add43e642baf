import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Int32, MongoClient } from 'mongodb';
import { afterAll, describe, expect, it } from 'vitest';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

describe('mongo-tools built from source', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-tools-'));
  const db = uniqueDbName('tools');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports its version', () => {
    const out = execFileSync(join(servers.toolsBin, 'mongodump'), ['--version'], { encoding: 'utf8' });
    expect(out).toMatch(/mongodump version: 100\.\d+\.\d+/);
  });

  it('round-trips a collection: mongodump from the source, mongorestore into the target', async () => {
    const docs = Array.from({ length: 250 }, (_, i) => ({ _id: i, n: new Int32(i), label: `doc ${i}` }));
    await source.db(db).collection<{ _id: number; n: Int32; label: string }>('things').insertMany(docs);
    const archive = join(dir, 'things.archive');
    execFileSync(
      join(servers.toolsBin, 'mongodump'),
      [`--uri=${servers.sourceUri}`, `--db=${db}`, `--archive=${archive}`],
      {
        stdio: 'pipe',
      },
    );
    execFileSync(
      join(servers.toolsBin, 'mongorestore'),
      [`--uri=${servers.targetUri}`, `--archive=${archive}`, '--noIndexRestore'],
      { stdio: 'pipe' },
    );
    const restored = await target.db(db).collection('things').find().sort({ _id: 1 }).toArray();
    expect(restored).toHaveLength(250);
    expect(restored[249]).toEqual({ _id: 249, n: 249, label: 'doc 249' });
  });
});
