import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliWithCrash } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

interface Listed {
  id: string;
  status: string;
  latest: boolean;
}

describe('snapshot create killed with SIGKILL at any point', () => {
  const db = uniqueDbName('snap_kill');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-kill-'));
  const store = join(dir, 'store');
  const client = new MongoClient(servers.sourceUri);
  const args = [
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    db,
    '--name',
    'prod',
    '--store',
    store,
    '--no-anonymize',
    '--parallel',
    '2',
  ];
  const list = async (): Promise<Listed[]> => {
    const res = await runCli(['--json', 'snapshot', 'list', '--name', 'prod', '--store', store]);
    expect(res.code).toBe(0);
    return JSON.parse(res.stdout.trim()).result as Listed[];
  };

  beforeAll(async () => {
    for (const coll of ['a', 'b', 'c']) {
      await client
        .db(db)
        .collection(coll)
        .insertMany(Array.from({ length: 3000 }, (_, i) => ({ i, coll, pad: 'x'.repeat(200) })));
    }
  });
  afterAll(async () => {
    await client.db(db).dropDatabase();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const points = [
    'snapshot:begun',
    'capture:document:10',
    'capture:document:5000',
    'snapshot:data-written',
    'snapshot:before-manifest',
    'snapshot:before-latest',
  ];

  it(`never leaves latest on an incomplete snapshot (${points.length} kill points), and verify passes on every complete one`, async () => {
    const first = await runCli([...args, '--json']);
    expect(first.code).toBe(0);
    const baseline = JSON.parse(first.stdout.trim().split('\n').at(-1)!).result.id as string;

    let survived = 0;
    for (const point of points) {
      const ended = await runCliWithCrash(args, point);
      expect(ended.signal, point).toBe('SIGKILL');
      const snapshots = await list();
      const latest = snapshots.filter((s) => s.latest);
      expect(latest, point).toHaveLength(1);
      expect(latest[0]!.status, point).toBe('complete');
      // only the before-latest kill leaves a complete snapshot behind: its manifest was written
      const complete = snapshots.filter((s) => s.status === 'complete').map((s) => s.id);
      for (const id of complete) {
        const verify = await runCli(['snapshot', 'verify', `prod@${id}`, '--store', store]);
        expect(verify.code, `${point}: verify prod@${id}\n${verify.stderr}`).toBe(0);
      }
      expect(latest[0]!.id, point).toBe(baseline);
      survived++;
    }
    expect(survived).toBe(points.length);

    // the next create cleans up the partial folders and completes
    const next = await runCli([...args, '--json']);
    expect(next.code).toBe(0);
    const newId = JSON.parse(next.stdout.trim().split('\n').at(-1)!).result.id as string;
    const after = await list();
    expect(after.filter((s) => s.status === 'incomplete')).toEqual([]);
    expect(after.find((s) => s.latest)?.id).toBe(newId);
  });
});
