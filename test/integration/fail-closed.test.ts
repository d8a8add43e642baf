import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectionEntry, DumpEvent } from '../../src/core/dump-event.js';
import { writeDump } from '../../src/archive/index.js';
import { loadAtlasCollections } from '../helpers/load-atlas.js';
import { runCli } from '../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, TOOLS_ARCHIVES, uniqueDbName } from '../helpers/servers.js';

const servers = testServers();
const KEY_A = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const KEY_B = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const ANALYTICS = join(ATLAS_DUMP, 'sample_analytics');
const OPLOG_ARCHIVE = join(TOOLS_ARCHIVES, 'dump-w-oplog.archive');

/** The customers rules of the shipped example: every field classified. */
const CUSTOMERS = `rules:
  customers:
    fields:
      username: { transform: fake, kind: username, unique: true }
      name: { transform: fake, kind: full_name }
      address: { transform: fake, kind: street_address }
      birthdate: { transform: date_shift, max_days: 180 }
      email: { transform: hash_email }
    keep: [_id, active, accounts, tier_and_details]
`;
const lastJson = (stdout: string): Record<string, unknown> =>
  (JSON.parse(stdout.trim().split('\n').at(-1)!) as { result: Record<string, unknown> }).result;

/** Write a one-namespace archive dump of `docs` (serialized as given) to `path`. */
async function writeOneNamespaceDump(
  path: string,
  entry: CollectionEntry,
  docs: readonly Record<string, unknown>[],
): Promise<void> {
  async function* events(): AsyncGenerator<DumpEvent> {
    yield {
      type: 'prelude',
      serverVersion: '7.0.0',
      toolVersion: 't',
      concurrentCollections: 1,
      collections: [entry],
    };
    for (const doc of docs) yield { type: 'document', namespace: entry.namespace, bson: serialize(doc) };
    yield { type: 'end', namespace: entry.namespace };
  }
  await writeDump(events(), path, { format: 'archive', gzip: false });
}

describe('fail closed: no raw value reaches anonymized output', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-fail-closed-'));
  const prod = uniqueDbName('fc');
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const targets: string[] = [];
  const targetDb = (): string => {
    const db = `${uniqueDbName('fc')}_pr_${targets.length + 1}`;
    targets.push(db);
    return db;
  };
  const rulesFile = (name: string, text: string): string => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, text);
    return file;
  };
  const snapshotCreate = (name: string, ...extra: string[]) =>
    runCli(
      [
        '--json',
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        prod,
        '--name',
        name,
        '--store',
        store,
        ...extra,
      ],
      { env: KEY_A },
    );
  const refreshCli = (db: string, rules: string, ...extra: string[]) =>
    runCli(
      [
        'refresh',
        '--from',
        servers.sourceUri,
        '--db',
        prod,
        '--to',
        servers.targetUri,
        '--target-db',
        db,
        '--rules',
        rules,
        ...extra,
      ],
      { env: KEY_A },
    );
  const only = rulesFile('only-customers', CUSTOMERS);
  const variants = {
    kept: rulesFile('kept', `${CUSTOMERS}  accounts: null\n`),
    excluded: rulesFile('excluded', `${CUSTOMERS}exclusions: [accounts]\n`),
    ruled: rulesFile('ruled', `${CUSTOMERS}  accounts:\n    keep: [_id, account_id, limit, products]\n`),
  };
  const databases = async (): Promise<string[]> =>
    (await target.db('admin').admin().listDatabases({ nameOnly: true })).databases.map((d) => d.name);
  const metadata = (db: string) =>
    target
      .db(db)
      .collection<{ _id: string; anonymization?: unknown; restoredAt?: Date }>('snapshot_metadata')
      .findOne({ _id: 'latest' });

  beforeAll(() => {
    loadAtlasCollections(servers, servers.sourceUri, prod, [
      ['sample_analytics', 'customers'],
      ['sample_analytics', 'accounts'],
    ]);
  });
  afterAll(async () => {
    await source.db(prod).dropDatabase();
    for (const db of targets) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  describe('a collection the rules do not name', () => {
    const refusedWith = (res: { code: number | null; stderr: string }, namespace: string) => {
      expect(res.code, res.stderr).toBe(8);
      expect(res.stderr).toContain('UNCLASSIFIED_NAMESPACE');
      expect(res.stderr).toContain(namespace);
      expect(res.stderr).toContain('exclusions');
    };

    it('anonymize exits 8 listing it and writes no output (archive or folder)', async () => {
      for (const out of [join(dir, 'out.archive'), join(dir, 'out-folder')]) {
        const res = await runCli(['anonymize', '--in', ANALYTICS, '--out', out, '--rules', only], {
          env: KEY_A,
        });
        refusedWith(res, 'sample_analytics.accounts');
        expect(existsSync(out)).toBe(false);
      }
      expect(readdirSync(dir).filter((f) => f.includes('out'))).toEqual([]);
    });

    it('snapshot create exits 8 and leaves no snapshot', async () => {
      const res = await runCli(
        ['snapshot', 'create', '--uri', servers.sourceUri, '--db', prod, '--store', store, '--rules', only],
        { env: KEY_A },
      );
      refusedWith(res, `${prod}.accounts`);
      expect(existsSync(join(store, prod)) ? readdirSync(join(store, prod)) : []).toEqual([]);
    });

    it('restore --rules (from a dump and from a raw snapshot) exits 8 and the target stays as it was', async () => {
      const raw = await snapshotCreate('raw', '--no-anonymize');
      expect(raw.code, raw.stderr).toBe(0);
      const db = targetDb();
      const good = await runCli(
        ['restore', '--in', ANALYTICS, '--to', servers.targetUri, '--db', db, '--rules', variants.kept],
        { env: KEY_A },
      );
      expect(good.code, good.stderr).toBe(0);
      const state = async () => ({
        collections: (await target.db(db).listCollections({}, { nameOnly: true }).toArray())
          .map((c) => c.name)
          .sort(),
        customers: await target.db(db).collection('customers').countDocuments(),
        restoredAt: (await metadata(db))?.restoredAt,
      });
      const before = await state();
      expect(before.customers).toBe(500);
      const fromDump = await runCli(
        ['restore', '--in', ANALYTICS, '--to', servers.targetUri, '--db', db, '--rules', only],
        { env: KEY_A },
      );
      refusedWith(fromDump, 'sample_analytics.accounts');
      const fromSnapshot = await runCli(
        [
          'restore',
          '--snapshot',
          'raw@latest',
          '--store',
          store,
          '--to',
          servers.targetUri,
          '--db',
          db,
          '--rules',
          only,
        ],
        { env: KEY_A },
      );
      refusedWith(fromSnapshot, `${prod}.accounts`);
      expect(await state()).toEqual(before);
    });

    it('refresh (through the store and --direct) exits 8, keeps no snapshot and leaves the target unchanged', async () => {
      const db = targetDb();
      for (const via of [['--store', store, '--name', 'refresh'], ['--direct']]) {
        const res = await refreshCli(db, only, ...via);
        refusedWith(res, `${prod}.accounts`);
      }
      expect(existsSync(join(store, 'refresh'))).toBe(false);
      expect(await databases()).not.toContain(db);
    });

    it('the dry runs say so too: snapshot create --dry-run and refresh --dry-run exit 8, --plan-out writes no plan', async () => {
      const dry = await snapshotCreate('dry', '--rules', only, '--dry-run');
      refusedWith(dry, `${prod}.accounts`);
      const planFile = join(dir, 'refused-plan.json');
      const planOut = await snapshotCreate('dry', '--rules', only, '--plan-out', planFile);
      refusedWith(planOut, `${prod}.accounts`);
      expect(existsSync(planFile)).toBe(false);
      const refreshDry = await refreshCli(targetDb(), only, '--dry-run');
      refusedWith(refreshDry, `${prod}.accounts`);
      expect(refreshDry.stdout).toContain(`${prod}.accounts`); // the preview table came first
      const passes = await snapshotCreate('dry', '--rules', variants.kept, '--dry-run');
      expect(passes.code, passes.stderr).toBe(0);
      expect(existsSync(join(store, 'dry'))).toBe(false);
    });

    it('passes with it kept whole, excluded or ruled', async () => {
      for (const [variant, rules] of Object.entries(variants)) {
        const out = join(dir, `pass-${variant}.archive`);
        const res = await runCli(['--json', 'anonymize', '--in', ANALYTICS, '--out', out, '--rules', rules], {
          env: KEY_A,
        });
        expect(res.code, `${variant}: ${res.stderr}`).toBe(0);
        const namespaces = (lastJson(res.stdout).namespaces as { namespace: string; excluded: boolean }[])
          .filter((n) => !n.excluded)
          .map((n) => n.namespace);
        expect(namespaces.sort()).toEqual(
          variant === 'excluded'
            ? ['sample_analytics.customers']
            : ['sample_analytics.accounts', 'sample_analytics.customers'],
        );
      }
    });

    it('--allow-unclassified copies it raw and the manifest and snapshot_metadata record it', async () => {
      const res = await snapshotCreate('allowed', '--rules', only, '--allow-unclassified');
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout + res.stderr).toContain(
        '--allow-unclassified: collections no rules key names are copied raw',
      );
      const manifest = lastJson(res.stdout);
      expect(manifest.anonymization).toMatchObject({
        allowUnclassified: true,
        strict: true,
        dropOplog: false,
      });
      const db = targetDb();
      const restored = await runCli([
        'restore',
        '--snapshot',
        'allowed@latest',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        db,
      ]);
      expect(restored.code, restored.stderr).toBe(0);
      expect((await metadata(db))?.anonymization).toMatchObject({ allowUnclassified: true });
    });
  });

  describe('the oplog of a mongodump --oplog dump', () => {
    const rules = rulesFile(
      'foo',
      'rules:\n  foo:\n    fields:\n      a: { transform: number_noise, percent: 10 }\n    keep: [_id]\n',
    );

    it('is rewritten under rules (transform/oplog/); with --drop-oplog the output has no oplog', async () => {
      const out = join(dir, 'oplog-out.archive');
      const rewritten = await runCli(['anonymize', '--in', OPLOG_ARCHIVE, '--out', out, '--rules', rules], {
        env: KEY_A,
      });
      expect(rewritten.code, rewritten.stderr).toBe(0);
      const kept = await runCli(['--json', 'archive', 'inspect', out]);
      const keptNames = (lastJson(kept.stdout).collections as { namespace: string }[]).map(
        (n) => n.namespace,
      );
      expect(keptNames).toEqual(['test.foo', '.oplog']);
      rmSync(out);
      const dropped = await runCli(
        ['anonymize', '--in', OPLOG_ARCHIVE, '--out', out, '--rules', rules, '--drop-oplog'],
        { env: KEY_A },
      );
      expect(dropped.code, dropped.stderr).toBe(0);
      const inspect = await runCli(['--json', 'archive', 'inspect', out]);
      const names = (lastJson(inspect.stdout).collections as { namespace: string }[]).map((n) => n.namespace);
      expect(names).toEqual(['test.foo']); // no .oplog; admin.system.version is an internal database
    });

    it('scan of the raw archive examines the documents the oplog carries', async () => {
      const res = await runCli(['--json', 'scan', '--in', OPLOG_ARCHIVE, '--rules', rules, '--strict']);
      expect(res.code).toBe(1);
      const report = lastJson(res.stdout) as { unclassified: { namespace: string; path: string }[] };
      expect(report.unclassified).toContainEqual(
        expect.objectContaining({ namespace: 'config.system.sessions (oplog)', path: 'lastUse' }),
      );
      // a generated oplog carrying an email: the value is found under the namespace it belongs to
      const archive = join(dir, 'email-oplog.archive');
      const oplog = { db: '', collection: 'oplog' };
      const insert = { op: 'i', ns: 'crm.people', o: { _id: 1, email: 'grace.hopper@example.com' } };
      const txn = {
        op: 'c',
        ns: 'admin.$cmd',
        o: {
          applyOps: [
            {
              op: 'u',
              ns: 'crm.people',
              o: { $set: { email: 'alan.turing@example.org' } },
              o2: { _id: 2 },
            },
          ],
        },
      };
      await writeOneNamespaceDump(archive, { namespace: oplog, collectionType: '', metadataJson: '' }, [
        insert,
        txn,
      ]);
      const scan = await runCli(['--json', 'scan', '--in', archive]);
      expect(scan.code).toBe(1);
      const findings = (
        lastJson(scan.stdout) as {
          findings: { namespace: string; path: string; detector: string; count: number }[];
        }
      ).findings;
      expect(findings).toContainEqual(
        expect.objectContaining({ namespace: 'crm.people (oplog)', path: 'email', detector: 'email' }),
      );
      expect(findings).toContainEqual(
        expect.objectContaining({ namespace: 'crm.people (oplog)', path: '$set.email', detector: 'email' }),
      );
      expect(scan.stdout).not.toContain('grace.hopper@example.com');
    });
  });

  describe('field strictness (on by default)', () => {
    const partial = rulesFile(
      'partial',
      `${CUSTOMERS.replace(', tier_and_details]', ']')}  accounts: null\n`,
    );

    it('an unclassified field fails with its namespace, path and position, and nothing is written', async () => {
      const out = join(dir, 'strict-out.archive');
      const res = await runCli(['anonymize', '--in', ANALYTICS, '--out', out, '--rules', partial], {
        env: KEY_A,
      });
      expect(res.code, res.stderr).toBe(8);
      expect(res.stderr).toContain('UNCLASSIFIED_FIELD');
      expect(res.stderr).toMatch(
        /sample_analytics\.customers: field tier_and_details\.[0-9a-f]+\.tier of document 1 /,
      );
      expect(existsSync(out)).toBe(false);
    });

    it('passes with the field kept, or with strict: false, which the manifest records', async () => {
      const keptOut = join(dir, 'strict-kept.archive');
      const kept = await runCli(
        ['anonymize', '--in', ANALYTICS, '--out', keptOut, '--rules', variants.kept],
        { env: KEY_A },
      );
      expect(kept.code, kept.stderr).toBe(0);
      const lax = rulesFile('lax', `strict: false\n${readFileSync(partial, 'utf8')}`);
      const res = await snapshotCreate('lax', '--rules', lax);
      expect(res.code, res.stderr).toBe(0);
      expect(res.stdout + res.stderr).toContain('field strictness is off (strict: false)');
      expect(lastJson(res.stdout).anonymization).toMatchObject({ strict: false, allowUnclassified: false });
      const manifest = JSON.parse(
        readFileSync(join(store, 'lax', String(lastJson(res.stdout).id), 'manifest.json'), 'utf8'),
      );
      expect(manifest.anonymization.strict).toBe(false);
    });
  });

  describe('metadata is data too', () => {
    it('an index whose partialFilterExpression holds an email is refused, and passes when kept', async () => {
      const dump = join(dir, 'partial-index.archive');
      const namespace = { db: 'crm', collection: 'patients' };
      const metadataJson = JSON.stringify({
        options: {},
        indexes: [
          { v: { $numberInt: '2' }, key: { _id: { $numberInt: '1' } }, name: '_id_' },
          {
            v: { $numberInt: '2' },
            key: { email: { $numberInt: '1' } },
            name: 'vip_email',
            partialFilterExpression: { email: 'ceo@example.com' },
          },
        ],
      });
      await writeOneNamespaceDump(dump, { namespace, collectionType: 'collection', metadataJson }, [
        { _id: 1, email: 'ceo@example.com' },
      ]);
      const base =
        'rules:\n  patients:\n    fields:\n      email: { transform: hash_email }\n    keep: [_id]\n';
      const out = join(dir, 'partial-out.archive');
      const refused = await runCli(
        ['anonymize', '--in', dump, '--out', out, '--rules', rulesFile('pfe', base)],
        { env: KEY_A },
      );
      expect(refused.code, refused.stderr).toBe(8);
      expect(refused.stderr).toContain('METADATA_LITERAL');
      expect(refused.stderr).toContain('indexes.vip_email.partialFilterExpression.email');
      expect(refused.stderr).not.toContain('ceo@example.com');
      expect(existsSync(out)).toBe(false);
      const kept = rulesFile('pfe-kept', `${base}    keep_metadata: [indexes.vip_email]\n`);
      const passed = await runCli(['anonymize', '--in', dump, '--out', out, '--rules', kept], { env: KEY_A });
      expect(passed.code, passed.stderr).toBe(0);
    });
  });

  describe('key fingerprint', () => {
    it('is recorded; another key warns, and --require-same-key refuses and leaves the target as it was', async () => {
      const db = targetDb();
      const restore = (env: Record<string, string>, ...extra: string[]) =>
        runCli(
          [
            'restore',
            '--in',
            ANALYTICS,
            '--to',
            servers.targetUri,
            '--db',
            db,
            '--rules',
            variants.kept,
            ...extra,
          ],
          { env },
        );
      const first = await restore(KEY_A);
      expect(first.code, first.stderr).toBe(0);
      const fingerprintA = ((await metadata(db))?.anonymization as { keyFingerprint: string }).keyFingerprint;
      expect(fingerprintA).toMatch(/^hmac-sha256:[0-9a-f]{32}$/);
      expect(fingerprintA).not.toContain(KEY_A.DBFORK_ANONYMIZATION_KEY);
      const same = await restore(KEY_A);
      expect(same.code, same.stderr).toBe(0);
      expect(same.stderr).not.toContain('another key');
      const refused = await restore(KEY_B, '--require-same-key');
      expect(refused.code, refused.stderr).toBe(8);
      expect(refused.stderr).toContain('KEY_MISMATCH');
      expect(((await metadata(db))?.anonymization as { keyFingerprint: string }).keyFingerprint).toBe(
        fingerprintA,
      );
      const warned = await restore(KEY_B);
      expect(warned.code, warned.stderr).toBe(0);
      expect(warned.stderr).toContain('another key');
      expect(((await metadata(db))?.anonymization as { keyFingerprint: string }).keyFingerprint).not.toBe(
        fingerprintA,
      );
    });
  });
});
