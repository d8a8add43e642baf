import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BSON } from 'bson';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, newTestKey } from '../../helpers/backup-kit.js';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const key = newTestKey();
const other = newTestKey();

/** Every string value of a document, at any depth. */
function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

describe('encrypted backups and the disaster-recovery restore (Atlas sample data, file store)', () => {
  const db = uniqueDbName('bkdr');
  const prod = uniqueDbName('bkdr_prod');
  const store = fileStore();
  const root = fileURLToPath(store.url);
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  let id = '';

  const drRestore = (args: string[], storeUrl = store.url) =>
    runCli([
      'backup',
      'restore',
      '--store',
      storeUrl,
      '--snapshot',
      `${db}@latest`,
      '--target-uri',
      servers.targetUri,
      '--db',
      prod,
      ...args,
    ]);
  const targetState = async () => {
    const names = (await target.db(prod).listCollections({}, { nameOnly: true }).toArray())
      .map((c) => c.name)
      .sort();
    const docs = await Promise.all(names.map(async (n) => [n, await rawById(target, prod, n)] as const));
    return { names, docs: new Map(docs) };
  };
  /** The store's audit records, oldest first. */
  const auditRecords = (): Record<string, unknown>[] => {
    try {
      return readdirSync(join(root, 'audit'), { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => JSON.parse(readFileSync(join(e.parentPath, e.name), 'utf8')) as Record<string, unknown>)
        .sort((a, b) => String(a.id).localeCompare(String(b.id)));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    loadAtlasCollections(servers, servers.sourceUri, db, [
      ['sample_analytics', 'customers'],
      ['sample_mflix', 'users'],
    ]);
    const run = await runCli([
      'backup',
      'run',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      store.url,
      '--recipient',
      key.recipient,
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    id = (
      JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { result: { manifest: { id: string } } }
    ).result.manifest.id;
  }, 240_000);
  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(prod).dropDatabase();
    await Promise.all([source.close(), target.close()]);
  });

  it('stores none of the plaintext values: every string of every document is absent from every stored object', async () => {
    const values = new Set<string>();
    for (const coll of ['customers', 'users'])
      for (const raw of (await rawById(source, db, coll)).values())
        for (const s of strings(BSON.deserialize(raw))) if (s.length >= 6) values.add(s);
    expect(values.size).toBeGreaterThan(1000);
    const objects = await store.objects();
    expect([...objects.keys()].some((k) => k.endsWith('data.archive.age'))).toBe(true);
    const found = [...values].filter((v) => [...objects.values()].some((bytes) => bytes.includes(v)));
    expect(found).toEqual([]);
  });

  it('the ordinary restore refuses the protected name; without every confirmation the break-glass path refuses and writes nothing', async () => {
    const ordinary = await runCli([
      'restore',
      '--snapshot',
      `${db}@latest`,
      '--store',
      store.url,
      '--to',
      servers.targetUri,
      '--db',
      prod,
      '--protect-db',
      prod,
      '--allow-target',
      `^${prod}$`,
      '--confirm',
      prod,
      '--no-anonymize',
      '--identity',
      key.file,
    ]);
    expect(ordinary.code).toBe(8);
    expect(ordinary.stderr).toContain('TARGET_PROTECTED');
    const refusals: [string[], string][] = [
      [['--identity', key.file, '--confirm', prod, '--confirm', prod], 'DR_NOT_REQUESTED'],
      [['--identity', key.file, '--disaster-recovery'], 'DR_NOT_CONFIRMED'],
      [['--identity', key.file, '--disaster-recovery', '--confirm', prod], 'DR_NOT_CONFIRMED'],
      [
        ['--identity', key.file, '--disaster-recovery', '--confirm', 'other', '--confirm', prod],
        'DR_NOT_CONFIRMED',
      ],
    ];
    for (const [args, code] of refusals) {
      const refused = await drRestore(args);
      expect(refused.code, args.join(' ')).toBe(8);
      expect(refused.stderr).toContain(code);
    }
    expect((await targetState()).names).toEqual([]);
    // the refused break-glass attempts write nothing; the ordinary restore's refusal is in the audit trail
    expect(auditRecords().filter((r) => r.action === 'backup.restore')).toEqual([]);
    expect(
      auditRecords().map((r) => [r.action, r.outcome, (r.error as { code?: string } | undefined)?.code]),
    ).toEqual([
      ['backup.run', 'started', undefined],
      ['backup.run', 'succeeded', undefined],
      ['restore', 'started', undefined],
      ['restore', 'failed', 'TARGET_PROTECTED'],
    ]);
  });

  it('a wrong identity and a flipped byte both fail before any write: the target stays as it was', async () => {
    await target
      .db(prod)
      .collection<{ _id: number; keep: boolean }>('sentinel')
      .insertOne({ _id: 1, keep: true });
    const before = await targetState();
    const confirmed = ['--disaster-recovery', '--confirm', prod, '--confirm', prod, '--drop'];
    const wrong = await drRestore(['--identity', other.file, ...confirmed]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stderr).toMatch(/DECRYPTION_WRONG_IDENTITY/);
    expect(await targetState()).toEqual(before);

    const tampered = mkdtempSync(join(tmpdir(), 'dbfork-tampered-'));
    cpSync(root, tampered, { recursive: true });
    const data = join(tampered, db, id, 'data.archive.age');
    const bytes = readFileSync(data);
    const at = Math.floor(bytes.length / 2);
    bytes[at] = (bytes[at] ?? 0) ^ 0x01;
    writeFileSync(data, bytes);
    const flipped = await drRestore(['--identity', key.file, ...confirmed], `file://${tampered}`);
    expect(flipped.code).not.toBe(0);
    expect(flipped.stderr).toMatch(/DECRYPTION_FAILED|DUMP_READ_FAILED/);
    expect(await targetState()).toEqual(before);
  });

  it('restores into the protected name with every confirmation, audited; a non-empty target needs --drop', async () => {
    await target.db(prod).dropDatabase();
    const restored = await drRestore([
      '--identity',
      key.file,
      '--disaster-recovery',
      '--confirm',
      prod,
      '--confirm',
      prod,
      '--json',
    ]);
    expect(restored.code, restored.stderr).toBe(0);
    for (const coll of ['customers', 'users'])
      expect(await rawById(target, prod, coll)).toEqual(await rawById(source, db, coll));
    const records = auditRecords().filter((r) => r.action === 'backup.restore');
    // the wrong-identity attempt above is audited too: started, then failed with its code
    expect(
      records.filter((r) => r.outcome === 'failed').map((r) => (r.error as { code: string }).code),
    ).toEqual(['DECRYPTION_WRONG_IDENTITY']);
    const success = records.find((r) => r.outcome === 'succeeded');
    const run = records.filter((r) => r.runId === success?.runId);
    expect(run.map((r) => r.outcome).sort()).toEqual(['started', 'succeeded']);
    expect(success).toMatchObject({
      action: 'backup.restore',
      source: { snapshot: `${db}@${id}` },
      target: { databases: [prod] },
      actor: { name: expect.any(String) as string },
    });
    expect(JSON.stringify(records)).not.toMatch(/AGE-SECRET-KEY/);

    const again = await drRestore([
      '--identity',
      key.file,
      '--disaster-recovery',
      '--confirm',
      prod,
      '--confirm',
      prod,
    ]);
    expect(again.code).toBe(8);
    expect(again.stderr).toContain('DR_TARGET_NOT_EMPTY');
    const dropped = await drRestore([
      '--identity',
      key.file,
      '--disaster-recovery',
      '--confirm',
      prod,
      '--confirm',
      prod,
      '--drop',
    ]);
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await target.db(prod).collection('users').countDocuments()).toBe(
      await source.db(db).collection('users').countDocuments(),
    );
  });
});
