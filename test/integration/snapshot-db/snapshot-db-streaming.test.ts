import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const KEY = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const RULES = `rules:
  customers:
    fields:
      email: { transform: hash_email }
      name: { transform: fake, kind: full_name }
    keep: [_id, tier]
  orders:
    keep: [_id, i, total]
`;

/** Raw BSON of every document of a collection, in `_id` order. */
async function rawDocs(client: MongoClient, db: string, coll: string): Promise<string[]> {
  const out: string[] = [];
  for await (const doc of client
    .db(db)
    .collection(coll)
    .find({}, { raw: true, sort: { _id: 1 } }))
    out.push(Buffer.from(doc as unknown as Uint8Array).toString('hex'));
  return out;
}

async function indexNames(client: MongoClient, db: string, coll: string): Promise<string[]> {
  return (await client.db(db).collection(coll).listIndexes().toArray()).map((i) => String(i.name)).sort();
}

describe('snapshot database store on FerretDB (no $out: the streaming fallback, for real)', () => {
  const prod = uniqueDbName('inc_prod');
  const snap = uniqueDbName('inc_snap');
  const pr = `${uniqueDbName('inc')}_pr_7`;
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-incluster-'));
  const rules = join(dir, 'rules.yaml');
  const store = servers.sourceUri;

  beforeAll(async () => {
    writeFileSync(rules, RULES);
    const d = source.db(prod);
    await d.collection<{ _id: number; email: string; name: string; tier: number }>('customers').insertMany(
      Array.from({ length: 120 }, (_, i) => ({
        _id: i,
        email: `person${i}@leak.example`,
        name: `Secret Name ${i}`,
        tier: i % 3,
      })),
    );
    await d.collection('orders').insertMany(Array.from({ length: 300 }, (_, i) => ({ i, total: i * 2.5 })));
    await d.collection('orders').createIndex({ i: 1 }, { unique: true, name: 'i_unique' });
    await d.collection('scratch').insertOne({ x: 1 });
  });
  afterAll(async () => {
    await source.db(prod).dropDatabase();
    await source.db(snap).dropDatabase();
    await source.db(`${snap}_r`).dropDatabase();
    await target.db(pr).dropDatabase();
    await source.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--require-server-side refuses where $out does not run, and nothing is written', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      prod,
      '--store',
      store,
      '--store-db',
      snap,
      '--no-anonymize',
      '--require-server-side',
    ]);
    expect(res.stderr).toContain('SERVER_SIDE_UNAVAILABLE');
    expect(res.code).toBe(2);
    expect(await source.db(snap).collection('snapshot_metadata').countDocuments()).toBe(0);
  });

  it('the producer streams with one info line, and the snapshot database holds byte-equal documents and indexes', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      prod,
      '--store',
      store,
      '--store-db',
      snap,
      '--no-anonymize',
      '--exclude',
      'scratch',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const infos = res.stderr.split('\n').filter((l) => l.includes('streaming the documents through dbfork'));
    expect(infos).toHaveLength(1);
    expect(infos[0]).toContain('$out');
    const latest = (await source
      .db(snap)
      .collection('snapshot_metadata')
      .findOne({ _id: 'latest' as never })) as Document;
    expect(latest.status).toBe('complete');
    expect(latest.method).toBe('stream');
    expect([...(latest.collections as string[])].sort()).toEqual(['customers', 'orders']);
    const gen = String(latest.generation);
    for (const coll of ['customers', 'orders']) {
      expect(await rawDocs(source, snap, `${gen}.${coll}`)).toEqual(await rawDocs(source, prod, coll));
    }
    expect(await indexNames(source, snap, `${gen}.orders`)).toEqual(['_id_', 'i_unique']);
    const names = (await source.db(snap).listCollections().toArray()).map((c) => c.name);
    expect(names.some((n) => n.endsWith('.scratch'))).toBe(false);
  });

  it('restore --snapshot <db>@latest streams into app_pr_7: byte-equal, indexes, snapshot_metadata', async () => {
    const res = await runCli([
      '--json',
      'restore',
      '--snapshot',
      `${snap}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      pr,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toContain(
      "streaming the documents through dbfork: the target is not on the snapshot database's cluster",
    );
    for (const coll of ['customers', 'orders']) {
      expect(await rawDocs(target, pr, coll)).toEqual(await rawDocs(source, prod, coll));
    }
    expect(await indexNames(target, pr, 'orders')).toEqual(['_id_', 'i_unique']);
    const meta = await target.db(pr).collection('snapshot_metadata').findOne({});
    expect(meta).not.toBeNull();
    expect(JSON.stringify(meta)).toContain(snap);
  });

  it('with rules the snapshot database holds anonymized documents (no original value leaks) and a restore needs no rules', async () => {
    const anon = `${snap}_r`;
    const res = await runCli(
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        prod,
        '--store',
        store,
        '--store-db',
        anon,
        '--rules',
        rules,
        '--exclude',
        'scratch',
      ],
      { env: KEY },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('anonymization rules run in dbfork');
    const latest = (await source
      .db(anon)
      .collection('snapshot_metadata')
      .findOne({ _id: 'latest' as never })) as Document;
    expect(latest.anonymized).toBe(true);
    const originals = (await source.db(prod).collection('customers').find().toArray()).flatMap((d) => [
      String(d.email),
      String(d.name),
    ]);
    const stored = (
      await source
        .db(anon)
        .collection(`${String(latest.generation)}.customers`)
        .find()
        .toArray()
    )
      .map((d) => JSON.stringify(d))
      .join('\n');
    expect(stored.length).toBeGreaterThan(1000);
    const leaks = originals.filter((v) => stored.includes(v));
    expect(leaks).toEqual([]);
    const pr2 = `${pr}2`; // app_…_pr_72
    const restore = await runCli([
      'restore',
      '--snapshot',
      `${anon}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      pr2,
    ]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(await target.db(pr2).collection('customers').countDocuments()).toBe(120);
    await target.db(pr2).dropDatabase();
  });
});
