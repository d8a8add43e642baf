import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { REPO_ROOT, testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const key = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };

const lastJson = (stdout: string): { result: Record<string, unknown> } =>
  JSON.parse(stdout.trim().split('\n').at(-1)!);

describe('the main job: snapshot with rules, restore from the store, refresh', () => {
  const src = uniqueDbName('main');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-main-'));
  const store = join(dir, 'store');
  const rules = join(dir, 'rules.yaml');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const targets: string[] = [];
  const targetDb = (tag: string): string => {
    const db = `${uniqueDbName(tag)}_pr_${targets.length + 1}`;
    targets.push(db);
    return db;
  };
  let emails: string[] = [];

  beforeAll(async () => {
    loadAtlasCollections(servers, servers.sourceUri, src, [
      ['sample_analytics', 'customers'],
      ['sample_mflix', 'users'],
    ]);
    await source.db(src).collection('users').createIndex({ email: 1 }, { unique: true });
    const example = readFileSync(join(REPO_ROOT, 'examples', 'atlas-sample.rules.yaml'), 'utf8');
    writeFileSync(
      rules,
      example.replaceAll('sample_analytics.', `${src}.`).replaceAll('sample_mflix.', `${src}.`),
    );
    emails = (await source.db(src).collection('users').find().limit(20).toArray()).map((u) =>
      String(u.email),
    );
  });
  afterAll(async () => {
    await source.db(src).dropDatabase();
    for (const db of targets) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const metadata = async (db: string): Promise<Record<string, unknown> | null> =>
    target.db(db).collection<{ _id: string }>('snapshot_metadata').findOne({ _id: 'latest' });

  it('snapshot create --rules anonymizes at capture: no original email in the stored bytes, digest in the manifest, scan passes', async () => {
    const res = await runCli(
      [
        '--json',
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        src,
        '--name',
        'anon',
        '--store',
        store,
        '--rules',
        rules,
      ],
      { env: key },
    );
    expect(res.code, res.stderr).toBe(0);
    const manifest = lastJson(res.stdout).result;
    expect(manifest.anonymized).toBe(true);
    expect(String(manifest.rulesDigest)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(JSON.stringify(manifest)).not.toContain(key.DBFORK_ANONYMIZATION_KEY);
    const bytes = readFileSync(join(store, 'anon', String(manifest.id), 'data.archive'));
    for (const email of emails) expect(bytes.includes(Buffer.from(email)), email).toBe(false);
    const scan = await runCli([
      'scan',
      '--snapshot',
      'anon',
      '--store',
      store,
      '--rules',
      rules,
      '--strict',
      '--sample',
      '0',
    ]);
    expect(scan.code, scan.stdout).toBe(0);
  });

  it('restores an anonymized snapshot as it is, recording "capture" in snapshot_metadata', async () => {
    const db = targetDb('anon');
    const res = await runCli([
      'restore',
      '--snapshot',
      'anon@latest',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      db,
    ]);
    expect(res.code, res.stderr).toBe(0);
    expect(await target.db(db).collection('users').countDocuments()).toBe(185);
    expect(await metadata(db)).toMatchObject({
      anonymized: 'capture',
      snapshotId: expect.stringMatching(/^anon@/),
    });
  });

  describe('a raw snapshot', () => {
    beforeAll(async () => {
      const res = await runCli([
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        src,
        '--name',
        'raw',
        '--store',
        store,
        '--no-anonymize',
      ]);
      expect(res.code, res.stderr).toBe(0);
    });

    it('is refused without --rules or --no-anonymize, and nothing is written', async () => {
      const db = targetDb('raw_refused');
      const res = await runCli([
        'restore',
        '--snapshot',
        'raw',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        db,
      ]);
      expect(res.code).toBe(8);
      expect(res.stderr).toMatch(/ANONYMIZATION_REQUIRED/);
      const dbs = (await target.db('admin').admin().listDatabases()).databases.map((d) => d.name);
      expect(dbs).not.toContain(db);
    });

    it('restores with --rules, anonymizing while restoring ("restore")', async () => {
      const db = targetDb('raw_rules');
      const res = await runCli(
        [
          'restore',
          '--snapshot',
          'raw',
          '--store',
          store,
          '--to',
          servers.targetUri,
          '--db',
          db,
          '--rules',
          rules,
        ],
        { env: key },
      );
      expect(res.code, res.stderr).toBe(0);
      const restoredEmails = (await target.db(db).collection('users').find().toArray()).map((u) =>
        String(u.email),
      );
      expect(restoredEmails).toHaveLength(185);
      for (const email of emails) expect(restoredEmails).not.toContain(email);
      expect(await metadata(db)).toMatchObject({
        anonymized: 'restore',
        rulesDigest: expect.stringMatching(/^sha256:/),
      });
    });

    it('restores raw with an explicit --no-anonymize ("none")', async () => {
      const db = targetDb('raw_none');
      const res = await runCli([
        'restore',
        '--snapshot',
        'raw',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        db,
        '--no-anonymize',
      ]);
      expect(res.code, res.stderr).toBe(0);
      expect(await metadata(db)).toMatchObject({ anonymized: 'none', rulesDigest: null });
      // every document byte-equal to production's, compared per document by _id
      for (const coll of ['customers', 'users']) {
        const original = await rawById(source, src, coll);
        const copy = await rawById(target, db, coll);
        expect(copy.size, coll).toBe(original.size);
        for (const [id, bytes] of original) expect(copy.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
      }
      // the unique index of production is rebuilt in the target
      const indexes = await target.db(db).collection('users').listIndexes().toArray();
      expect(indexes.find((i) => i.name === 'email_1')).toMatchObject({ unique: true });
    });
  });

  it('never restores a snapshot over its own source (the manifest names it)', async () => {
    const prDb = `${uniqueDbName('own')}_pr_9`;
    const sourceClient = new MongoClient(servers.sourceUri);
    try {
      await sourceClient.db(prDb).collection('c').insertOne({ x: 1 });
      const snap = await runCli([
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        prDb,
        '--name',
        'own',
        '--store',
        store,
        '--no-anonymize',
      ]);
      expect(snap.code, snap.stderr).toBe(0);
      const res = await runCli([
        'restore',
        '--snapshot',
        'own',
        '--store',
        store,
        '--to',
        servers.sourceUri,
        '--db',
        prDb,
        '--no-anonymize',
      ]);
      expect(res.code).toBe(8);
      expect(res.stderr).toMatch(/TARGET_IS_SOURCE/);
      expect(await sourceClient.db(prDb).collection('c').countDocuments()).toBe(1);
    } finally {
      await sourceClient.db(prDb).dropDatabase();
      await sourceClient.close();
    }
  });

  it('--wait gives up with a clear message listing the options', async () => {
    const started = Date.now();
    const res = await runCli([
      'restore',
      '--snapshot',
      'never',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      targetDb('wait'),
      '--wait',
      '2s',
      '--wait-interval',
      '500ms',
      '--no-anonymize',
    ]);
    expect(res.code).toBe(6);
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
    expect(res.stderr).toMatch(/SNAPSHOT_WAIT_TIMEOUT: snapshot never@latest did not appear/);
    expect(res.stderr).toMatch(/Options: \(1\).*\(2\).*\(3\)/);
  });

  it('--wait picks the snapshot up when it appears', async () => {
    const db = targetDb('late');
    const restoring = runCli([
      'restore',
      '--snapshot',
      'late',
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--wait',
      '60s',
      '--wait-interval',
      '300ms',
      '--no-anonymize',
    ]);
    await new Promise((r) => setTimeout(r, 1500));
    const snap = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      src,
      '--name',
      'late',
      '--store',
      store,
      '--no-anonymize',
    ]);
    expect(snap.code, snap.stderr).toBe(0);
    const res = await restoring;
    expect(res.code, res.stderr).toBe(0);
    expect(await target.db(db).collection('customers').countDocuments()).toBe(500);
  });

  it('refresh through the store: counts equal the source, the snapshot is kept, anonymized at capture', async () => {
    const db = targetDb('refresh');
    const refreshStore = join(dir, 'refresh-store');
    const res = await runCli(
      [
        'refresh',
        '--from',
        servers.sourceUri,
        '--db',
        src,
        '--to',
        servers.targetUri,
        '--target-db',
        db,
        '--rules',
        rules,
        '--store',
        refreshStore,
      ],
      { env: key },
    );
    expect(res.code, res.stderr).toBe(0);
    for (const coll of ['customers', 'users']) {
      expect(await target.db(db).collection(coll).countDocuments()).toBe(
        await source.db(src).collection(coll).countDocuments(),
      );
    }
    expect(await metadata(db)).toMatchObject({ anonymized: 'capture' });
    expect(readdirSync(join(refreshStore, src)).filter((f) => f !== 'latest')).toHaveLength(1);
    // the staging copy, scanned with the production rules (--rules-db): no personal data, nothing unclassified
    const scan = await runCli([
      'scan',
      '--uri',
      servers.targetUri,
      '--db',
      db,
      '--rules',
      rules,
      '--rules-db',
      src,
      '--strict',
      '--sample',
      '0',
    ]);
    expect(scan.code, scan.stdout).toBe(0);
    // without the mapping every field is unclassified: the gate would fail
    const unmapped = await runCli([
      'scan',
      '--uri',
      servers.targetUri,
      '--db',
      db,
      '--rules',
      rules,
      '--strict',
    ]);
    expect(unmapped.code).toBe(1);
  });

  it('refresh --direct streams source to target without a snapshot', async () => {
    const db = targetDb('direct');
    const res = await runCli(
      [
        'refresh',
        '--from',
        servers.sourceUri,
        '--db',
        src,
        '--to',
        servers.targetUri,
        '--target-db',
        db,
        '--rules',
        rules,
        '--direct',
      ],
      { env: { ...key, DBFORK_STORE: join(dir, 'must-not-exist') } },
    );
    expect(res.code, res.stderr).toBe(0);
    expect(await target.db(db).collection('users').countDocuments()).toBe(185);
    expect(existsSync(join(dir, 'must-not-exist'))).toBe(false);
    const users = await target.db(db).collection('users').find().toArray();
    for (const email of emails) expect(users.map((u) => u.email)).not.toContain(email);
  });

  it('refresh checks the guard before reading production: a refused target leaves no snapshot', async () => {
    const refusedStore = join(dir, 'refused-store');
    const res = await runCli(
      [
        'refresh',
        '--from',
        servers.sourceUri,
        '--db',
        src,
        '--to',
        servers.targetUri,
        '--target-db',
        'staging',
        '--rules',
        rules,
        '--store',
        refusedStore,
      ],
      { env: key },
    );
    expect(res.code).toBe(8);
    expect(res.stderr).toMatch(/TARGET_NOT_ALLOWED/);
    // no snapshot: the store holds only the refused run's audit records
    expect(existsSync(refusedStore) ? readdirSync(refusedStore) : []).toEqual(['audit']);
  });

  it('refresh requires an anonymization choice', async () => {
    const res = await runCli([
      'refresh',
      '--from',
      servers.sourceUri,
      '--db',
      src,
      '--to',
      servers.targetUri,
      '--target-db',
      targetDb('nochoice'),
      '--direct',
    ]);
    expect(res.code).toBe(8);
    expect(res.stderr).toMatch(/ANONYMIZATION_REQUIRED/);
  });
});
