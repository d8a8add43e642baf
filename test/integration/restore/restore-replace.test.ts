import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

/** Documents with numeric ids. */
interface Doc {
  _id: number;
  [key: string]: unknown;
}

const servers = testServers();
const source = new MongoClient(servers.sourceUri);
const target = new MongoClient(servers.targetUri);
const dir = mkdtempSync(join(tmpdir(), 'dbfork-replace-'));
const store = join(dir, 'store');
const sourceDb = uniqueDbName('replace_src');
const targetDb = `${uniqueDbName('replace')}_pr_7`;

/** The target db's collections, without dbfork's snapshot_metadata record. */
async function targetCollections(): Promise<string[]> {
  return (await target.db(targetDb).listCollections({}, { nameOnly: true }).toArray())
    .map((c) => c.name)
    .filter((n) => n !== 'snapshot_metadata')
    .sort();
}

beforeAll(async () => {
  await Promise.all([source.connect(), target.connect()]);
  await source
    .db(sourceDb)
    .collection<Doc>('orders')
    .insertMany([{ _id: 1 }, { _id: 2 }]);
  await source
    .db(sourceDb)
    .collection<Doc>('users')
    .insertMany([{ _id: 1, plan: 'pro' }]);
  const res = await runCli([
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    sourceDb,
    '--name',
    'rep',
    '--store',
    store,
    '--no-anonymize',
  ]);
  expect(res.code, res.stderr).toBe(0);
});
afterAll(async () => {
  await source.db(sourceDb).dropDatabase();
  await target.db(targetDb).dropDatabase();
  await Promise.all([source.close(), target.close()]);
  rmSync(dir, { recursive: true, force: true });
});

/** The target as a long-lived PR database: an old copy of users, and collections production dropped since. */
async function seedTarget(): Promise<void> {
  await target.db(targetDb).dropDatabase();
  await target
    .db(targetDb)
    .collection<Doc>('users')
    .insertMany([{ _id: 9, stale: true }]);
  await target.db(targetDb).collection<Doc>('legacy_carts').insertOne({ _id: 1 });
  await target.db(targetDb).collection<Doc>('tmp_import').insertOne({ _id: 1 });
}

const restore = (...more: string[]) => [
  'restore',
  '--snapshot',
  'rep@latest',
  '--store',
  store,
  '--to',
  servers.targetUri,
  '--db',
  targetDb,
  '--no-anonymize',
  ...more,
];

describe('restore --replace on the target server', () => {
  it('the dry run plans the drops as a plan operation, lists them, and writes nothing', async () => {
    await seedTarget();
    const res = await runCli(['--json', ...restore('--replace', '--dry-run')]);
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout.trim().split('\n')[0]!);
    expect(plan.operations.map((o: { kind: string }) => o.kind)).toEqual([
      'restore.run',
      'restore.drop-extra',
    ]);
    expect(plan.operations[1].params.planned).toEqual(['legacy_carts', 'tmp_import']);
    expect(plan.operations[1].aspects).toContain('destructive');
    const text = await runCli(restore('--replace', '--dry-run'));
    expect(text.stdout).toMatch(/drop\s+\S+\.legacy_carts\s+-\s+not in the snapshot/);
    expect(await targetCollections()).toEqual(['legacy_carts', 'tmp_import', 'users']);
  });

  it('leaves the target with exactly the snapshot’s collections', async () => {
    await seedTarget();
    const res = await runCli(restore('--replace'));
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(`--replace: dropped ${targetDb}.legacy_carts, ${targetDb}.tmp_import`);
    expect(await targetCollections()).toEqual(['orders', 'users']);
    expect(await target.db(targetDb).collection<Doc>('users').find().toArray()).toEqual([
      { _id: 1, plan: 'pro' },
    ]);
    // run again: nothing left to drop, same state
    const again = await runCli(['--json', ...restore('--replace')]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout.trim().split('\n').at(-1)!).result.dropped).toEqual([]);
    expect(await targetCollections()).toEqual(['orders', 'users']);
  });

  it('without --replace the extra collections stay, as mongorestore --drop leaves them', async () => {
    await seedTarget();
    const res = await runCli(restore());
    expect(res.code, res.stderr).toBe(0);
    expect(await targetCollections()).toEqual(['legacy_carts', 'orders', 'tmp_import', 'users']);
  });

  it('a failed restore drops nothing: the target stays as it was', async () => {
    await seedTarget();
    const broken = join(dir, 'broken.archive');
    writeFileSync(broken, Buffer.from('not an archive at all'));
    const res = await runCli([
      'restore',
      '--in',
      broken,
      '--to',
      servers.targetUri,
      '--db',
      targetDb,
      '--no-anonymize',
      '--replace',
    ]);
    expect(res.code).not.toBe(0);
    expect(await targetCollections()).toEqual(['legacy_carts', 'tmp_import', 'users']);
    expect(await target.db(targetDb).collection<Doc>('users').find().toArray()).toEqual([
      { _id: 9, stale: true },
    ]);
  });

  it('--replace with --collections is refused before anything is read', async () => {
    const res = await runCli(restore('--replace', '--collections', 'users'));
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('CONFIG_CONFLICTING_OPTIONS');
  });
});
