import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { runCli } from '../../helpers/run-cli.js';
import { SHARED, testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

/** Rules for both collections with the relation's fields in one pseudonym group, and the relation. */
const ANONYMIZATION_RULES = [
  'rules:',
  '  customers:',
  '    fields:',
  '      accounts.*: { transform: pseudonymous_id, group: account }',
  '      email: { transform: hash_email }',
  '      name: { transform: fake, kind: full_name }',
  '      username: { transform: fake, kind: username }',
  '      address: { transform: fake, kind: street_address }',
  '    keep: [_id, birthdate, active, tier_and_details]',
  '  accounts:',
  '    fields:',
  '      account_id: { transform: pseudonymous_id, group: account }',
  '    keep: [_id, limit, products]',
  'relations:',
  '  - { from: customers.accounts, to: accounts.account_id }',
  '',
].join('\n');

describe('referentially complete subsets on the Atlas sample_analytics data', () => {
  const sourceDb = uniqueDbName('subset_src');
  const targetDb = `${uniqueDbName('subset')}_pr_1`;
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-subset-'));
  const store = `file://${join(dir, 'store')}`;
  const relations = join(dir, 'relations.yaml');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);

  beforeAll(() => {
    loadAtlasCollections(servers, servers.sourceUri, sourceDb, [
      ['sample_analytics', 'customers'],
      ['sample_analytics', 'accounts'],
    ]);
    writeFileSync(relations, 'relations:\n  - { from: customers.accounts, to: accounts.account_id }\n');
  }, 240_000);
  afterAll(async () => {
    await source.db(sourceDb).dropDatabase();
    await target.db(targetDb).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('50 customers with --follow parents hold exactly the accounts they list; it restores and checks clean', async () => {
    const created = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--store',
      store,
      '--no-anonymize',
      '--subset',
      'customers={}',
      '--subset-limit',
      '50',
      '--relations',
      relations,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const manifest = JSON.parse(created.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      subset: { collections: { collection: string; documents: number }[]; dangling: { dangling: number }[] };
    };
    // a direct computation: the first 50 customers by _id, and every account they list
    const roots = await source
      .db(sourceDb)
      .collection('customers')
      .find({})
      .sort({ _id: 1 })
      .limit(50)
      .toArray();
    const listed = new Set(roots.flatMap((c: Document) => (c['accounts'] as number[]).map(Number)));
    const expected = await source
      .db(sourceDb)
      .collection('accounts')
      .countDocuments({ account_id: { $in: [...listed] } });
    expect(manifest.subset.collections).toEqual([
      { collection: 'accounts', documents: expected, refused: 0 },
      { collection: 'customers', documents: 50, refused: 0 },
    ]);
    expect(manifest.subset.dangling[0]?.dangling).toBe(0);

    const restored = await runCli([
      'restore',
      '--snapshot',
      `${sourceDb}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      targetDb,
      '--no-anonymize',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    const accounts = await target.db(targetDb).collection('accounts').find({}).toArray();
    expect(accounts).toHaveLength(expected);
    expect(accounts.every((a: Document) => listed.has(Number(a['account_id'])))).toBe(true);

    const check = await runCli([
      'subset',
      'check',
      '--uri',
      servers.targetUri,
      '--db',
      targetDb,
      '--relations',
      relations,
    ]);
    expect(check.code, check.stdout + check.stderr).toBe(0);
    expect(check.stdout).toContain('no dangling references');
  }, 180_000);

  it('a closure past the memory threshold spills to the on-disk index and selects exactly the same documents', async () => {
    const create = (name: string, extra: string[]) =>
      runCli([
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        sourceDb,
        '--store',
        store,
        '--name',
        name,
        '--no-anonymize',
        '--subset',
        'customers={}',
        '--subset-limit',
        '120',
        '--relations',
        relations,
        '--json',
        ...extra,
      ]);
    const inMemory = await create('subset-heap', []);
    const spilled = await create('subset-spill', ['--subset-spill-after', '25']);
    expect(inMemory.code, inMemory.stderr).toBe(0);
    expect(spilled.code, spilled.stderr).toBe(0);
    expect(spilled.stdout).toContain('kept in an on-disk index');
    expect(inMemory.stdout).not.toContain('on-disk index');
    const subsetOf = (out: string) =>
      (JSON.parse(out.trim().split('\n').at(-1) ?? '{}').result as { subset: unknown; collections: unknown })
        .subset;
    expect(subsetOf(spilled.stdout)).toEqual(subsetOf(inMemory.stdout));
    const countsOf = (out: string) =>
      (
        JSON.parse(out.trim().split('\n').at(-1) ?? '{}').result as {
          collections: { namespace: string; documents: number; sha256?: string }[];
        }
      ).collections.map((c) => [c.namespace, c.documents]);
    expect(countsOf(spilled.stdout)).toEqual(countsOf(inMemory.stdout));
    expect(countsOf(spilled.stdout).find(([ns]) => String(ns).endsWith('.customers'))?.[1]).toBe(120);
  }, 180_000);

  it('children from accounts add exactly the customers that list them', async () => {
    const some = await source
      .db(sourceDb)
      .collection('accounts')
      .find({})
      .sort({ _id: 1 })
      .limit(5)
      .toArray();
    const ids = some.map((a: Document) => Number(a['account_id']));
    const created = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'children',
      '--store',
      store,
      '--no-anonymize',
      '--subset',
      `accounts={"account_id":{"$in":[${ids.join(',')}]}}`,
      '--follow',
      'children',
      '--relations',
      relations,
      '--json',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const manifest = JSON.parse(created.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      subset: { collections: { collection: string; documents: number }[] };
    };
    const customers = await source
      .db(sourceDb)
      .collection('customers')
      .countDocuments({ accounts: { $in: ids } });
    expect(manifest.subset.collections.find((c) => c.collection === 'customers')?.documents).toBe(customers);
  }, 180_000);

  it('subset check on the full source finds the dangling references the data holds, and exits 1 when any', async () => {
    await source
      .db(sourceDb)
      .collection('customers')
      .insertOne({ username: 'orphan', accounts: [999_999_999] });
    const check = await runCli([
      'subset',
      'check',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--relations',
      relations,
      '--json',
    ]);
    expect(check.code).toBe(1);
    const result = JSON.parse(check.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      relations: { dangling: number; examples: string[] }[];
    };
    expect(result.relations[0]?.dangling).toBeGreaterThanOrEqual(1);
    expect(result.relations[0]?.examples.join(' ')).toContain('999999999');

    // the same check on a snapshot of that source, read from the store into an on-disk index
    const snap = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'with-orphan',
      '--store',
      store,
      '--no-anonymize',
    ]);
    expect(snap.code, snap.stderr).toBe(0);
    const onSnapshot = await runCli([
      'subset',
      'check',
      '--snapshot',
      'with-orphan@latest',
      '--store',
      store,
      '--relations',
      relations,
      '--json',
    ]);
    expect(onSnapshot.code, onSnapshot.stderr).toBe(1);
    const fromSnapshot = JSON.parse(onSnapshot.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      relations: unknown[];
    };
    expect(fromSnapshot.relations).toEqual(result.relations);
    await source.db(sourceDb).collection('customers').deleteOne({ username: 'orphan' });

    // and on the real mongodump folder the source was loaded from: the same, less the orphan
    const onDump = await runCli([
      'subset',
      'check',
      '--in',
      join(SHARED, 'datasets', 'atlas-sample-dump', 'sample_analytics'),
      '--relations',
      relations,
      '--json',
    ]);
    const fromDump = JSON.parse(onDump.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      relations: { references: number; dangling: number }[];
    };
    const live = result.relations[0] as unknown as { references: number; dangling: number };
    expect(fromDump.relations[0]?.references).toBe(live.references - 1);
    expect(fromDump.relations[0]?.dangling).toBe(live.dangling - 1);
    expect(onDump.code).toBe(fromDump.relations[0]?.dangling ? 1 : 0);
  }, 180_000);

  it('relations suggest proposes customers.accounts → accounts.account_id and says the target is not unique', async () => {
    const suggested = await runCli([
      'relations',
      'suggest',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--json',
    ]);
    expect(suggested.code, suggested.stderr).toBe(0);
    const result = JSON.parse(suggested.stdout.trim().split('\n').at(-1) ?? '{}').result as {
      relations: { from: string; to: string; ratio: number; target: string }[];
    };
    expect(result.relations).toContainEqual(
      expect.objectContaining({
        from: 'customers.accounts',
        to: 'accounts.account_id',
        ratio: 1,
        target: 'not unique',
      }),
    );
  }, 300_000);

  it('is anonymized by the same rules with the relation still joining (pseudonyms in one group)', async () => {
    const rules = join(dir, 'rules.yaml');
    const keyFile = join(dir, 'anon.key');
    writeFileSync(keyFile, 'a-test-key-of-enough-length-0123456789\n');
    writeFileSync(rules, ANONYMIZATION_RULES);
    const anonDb = `${uniqueDbName('subset_anon')}_pr_2`;
    const created = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'anon',
      '--store',
      store,
      '--rules',
      rules,
      '--key-file',
      keyFile,
      '--subset',
      'customers={}',
      '--subset-limit',
      '20',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const restored = await runCli([
      'restore',
      '--snapshot',
      'anon@latest',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      anonDb,
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    try {
      const check = await runCli([
        'subset',
        'check',
        '--uri',
        servers.targetUri,
        '--db',
        anonDb,
        '--relations',
        rules,
      ]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      const original = await source
        .db(sourceDb)
        .collection('customers')
        .find({})
        .sort({ _id: 1 })
        .limit(20)
        .toArray();
      const copy = await target.db(anonDb).collection('customers').find({}).sort({ _id: 1 }).toArray();
      expect(copy.map((c: Document) => c['_id'].toString())).toEqual(
        original.map((c: Document) => c['_id'].toString()),
      );
      // the account numbers are pseudonyms, not the originals, and still found in accounts
      expect(copy.flatMap((c: Document) => c['accounts'] as number[]).map(Number)).not.toEqual(
        original.flatMap((c: Document) => c['accounts'] as number[]).map(Number),
      );
    } finally {
      await target.db(anonDb).dropDatabase();
    }
  }, 180_000);

  it('refresh --direct --subset copies the closure straight into the target, and nothing else', async () => {
    const refreshDb = `${uniqueDbName('subset_refresh')}_pr_3`;
    const refreshed = await runCli([
      'refresh',
      '--from',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--to',
      servers.targetUri,
      '--target-db',
      refreshDb,
      '--direct',
      '--no-anonymize',
      '--subset',
      'customers={}',
      '--subset-limit',
      '10',
      '--relations',
      relations,
      '--subset-others',
      'exclude',
    ]);
    try {
      expect(refreshed.code, refreshed.stderr).toBe(0);
      expect((await target.db(refreshDb).listCollections().toArray()).map((c) => c.name).sort()).toEqual([
        'accounts',
        'customers',
        'snapshot_metadata',
      ]);
      expect(await target.db(refreshDb).collection('customers').countDocuments()).toBe(10);
      const check = await runCli([
        'subset',
        'check',
        '--uri',
        servers.targetUri,
        '--db',
        refreshDb,
        '--relations',
        relations,
      ]);
      expect(check.code, check.stdout).toBe(0);
    } finally {
      await target.db(refreshDb).dropDatabase();
    }
  }, 180_000);

  it('restore --subset selects the closure inside a whole snapshot, anonymized by the rules, with the relation joining', async () => {
    const rules = join(dir, 'restore-rules.yaml');
    const keyFile = join(dir, 'restore.key');
    writeFileSync(keyFile, 'another-test-key-of-enough-length-0123456789\n');
    writeFileSync(rules, ANONYMIZATION_RULES);
    const whole = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'whole',
      '--store',
      store,
      '--no-anonymize',
    ]);
    expect(whole.code, whole.stderr).toBe(0);
    const restoreDb = `${uniqueDbName('subset_restore')}_pr_4`;
    const args = (db: string) => [
      'restore',
      '--snapshot',
      'whole@latest',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--rules',
      rules,
      '--key-file',
      keyFile,
      '--subset',
      'customers={"active":{"$ne":false}}',
      '--subset-limit',
      '30',
      '--subset-spill-after',
      '40',
      '--json',
    ];
    // the guard still decides first: a name outside the ephemeral pattern is refused, nothing written
    const refused = await runCli(args(uniqueDbName('subset_restore_prod')));
    expect(refused.code).toBe(8);
    const restored = await runCli(args(restoreDb));
    try {
      expect(restored.code, restored.stderr).toBe(0);
      expect(restored.stdout).toContain('kept in an on-disk index');
      // a direct computation on the source: the first 30 matching customers and the accounts they list
      const roots = await source
        .db(sourceDb)
        .collection('customers')
        .find({ active: { $ne: false } })
        .sort({ _id: 1 })
        .limit(30)
        .toArray();
      const listed = new Set(roots.flatMap((c: Document) => (c['accounts'] as number[]).map(Number)));
      const accounts = await source
        .db(sourceDb)
        .collection('accounts')
        .find({ account_id: { $in: [...listed] } })
        .toArray();
      const copy = target.db(restoreDb);
      expect(
        (await copy.collection('customers').find({}).sort({ _id: 1 }).toArray()).map((c) => String(c._id)),
      ).toEqual(roots.map((c) => String(c._id)));
      expect((await copy.collection('accounts').find({}).toArray()).map((a) => String(a._id)).sort()).toEqual(
        accounts.map((a) => String(a._id)).sort(),
      );
      const check = await runCli([
        'subset',
        'check',
        '--uri',
        servers.targetUri,
        '--db',
        restoreDb,
        '--relations',
        rules,
      ]);
      expect(check.code, check.stdout + check.stderr).toBe(0);
      // anonymized: no original email survives, account numbers are pseudonyms
      const emails = new Set(roots.map((c) => String(c['email'])));
      const copied = await copy.collection('customers').find({}).toArray();
      expect(copied.filter((c) => emails.has(String(c['email'])))).toEqual([]);
      expect(copied.flatMap((c) => c['accounts'] as number[]).filter((a) => listed.has(Number(a)))).toEqual(
        [],
      );
      const metadata = await copy.collection('snapshot_metadata').findOne({});
      expect(metadata?.['anonymized']).toBe('restore');
    } finally {
      await target.db(restoreDb).dropDatabase();
    }
  }, 180_000);

  it('restore --subset refuses a dump on stdin before reading it', async () => {
    const r = await runCli([
      'restore',
      '--in',
      '-',
      '--to',
      servers.targetUri,
      '--db',
      `${uniqueDbName('subset_stdin')}_pr_5`,
      '--no-anonymize',
      '--subset',
      'customers={}',
      '--relations',
      relations,
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--subset cannot restore a dump on stdin');
  });
});
