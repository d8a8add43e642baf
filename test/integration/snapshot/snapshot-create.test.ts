import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const tool = (name: string): string => join(servers.toolsBin, name);

describe('dbfork snapshot create from a real server', () => {
  const sourceDb = uniqueDbName('snap_src');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-snap-'));
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const restoredDbs: string[] = [];

  beforeAll(() => {
    // the Atlas sample customers and users, loaded with the real mongorestore
    loadAtlasCollections(servers, servers.sourceUri, sourceDb, [
      ['sample_analytics', 'customers'],
      ['sample_mflix', 'users'],
      ['sample_mflix', 'theaters'],
    ]);
  });
  afterAll(async () => {
    await source.db(sourceDb).dropDatabase();
    for (const db of restoredDbs) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  for (const [format, gzip] of [
    ['archive', false],
    ['directory', false],
    ['archive', true],
    ['directory', true],
  ] as const) {
    const name = `atlas-${format}${gzip ? '-gz' : ''}`;
    it(`${format}${gzip ? ' --gzip' : ''}: the real mongorestore restores it byte-identically${format === 'directory' && !gzip ? ', bsondump reads it' : ''}`, async () => {
      const res = await runCli([
        '--json',
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        sourceDb,
        '--name',
        name,
        '--store',
        store,
        '--format',
        format,
        ...(gzip ? ['--gzip'] : []),
        '--no-anonymize',
      ]);
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      const manifest = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result;
      expect(
        manifest.collections.map((c: { namespace: string; documents: number }) => [c.namespace, c.documents]),
      ).toEqual([
        [`${sourceDb}.customers`, 500],
        [`${sourceDb}.theaters`, 1564],
        [`${sourceDb}.users`, 185],
      ]);
      const snapDir = join(store, name, manifest.id);
      expect(readFileSync(join(store, name, 'latest'), 'utf8').trim()).toBe(manifest.id);

      const restored = uniqueDbName(`snap_${format}`);
      restoredDbs.push(restored);
      const common = [
        `--uri=${servers.targetUri}`,
        '--noIndexRestore',
        `--nsFrom=${sourceDb}.*`,
        `--nsTo=${restored}.*`,
        '--quiet',
        ...(gzip ? ['--gzip'] : []),
      ];
      if (format === 'archive') {
        execFileSync(tool('mongorestore'), [...common, `--archive=${join(snapDir, manifest.dataPath)}`]);
      } else {
        execFileSync(tool('mongorestore'), [...common, `--dir=${join(snapDir, 'dump')}`]);
      }
      if (format === 'directory' && !gzip) {
        const lines = execFileSync(
          tool('bsondump'),
          ['--quiet', join(snapDir, 'dump', sourceDb, 'users.bson')],
          {
            encoding: 'utf8',
          },
        )
          .trim()
          .split('\n');
        expect(lines).toHaveLength(185);
      }
      for (const coll of ['customers', 'users', 'theaters']) {
        const original = await rawById(source, sourceDb, coll);
        const copy = await rawById(target, restored, coll);
        expect(copy.size).toBe(original.size);
        for (const [id, bytes] of original) expect(copy.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
      }
      const verify = await runCli(['snapshot', 'verify', `${name}@${manifest.id}`, '--store', store]);
      expect(verify.code).toBe(0);
    });
  }

  it('captures a subset with --query and --exclude', async () => {
    const res = await runCli([
      '--json',
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'subset',
      '--store',
      store,
      '--exclude',
      'theaters',
      '--query',
      'customers={"active":true}',
      '--no-anonymize',
    ]);
    expect(res.code).toBe(0);
    const manifest = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result;
    const active = await source.db(sourceDb).collection('customers').countDocuments({ active: true });
    expect(active).toBeGreaterThan(0);
    expect(
      manifest.collections.map((c: { namespace: string; documents: number }) => [c.namespace, c.documents]),
    ).toEqual([
      [`${sourceDb}.customers`, active],
      [`${sourceDb}.users`, 185],
    ]);
  });

  it('--json --log-level info writes JSON log lines to stderr, without secrets', async () => {
    const uri = `${servers.sourceUri.replace('mongodb://', 'mongodb://reader:Hunter2Hunter2@')}&authMechanism=PLAIN`;
    const res = await runCli([
      '--json',
      '--log-level',
      'info',
      'snapshot',
      'create',
      '--uri',
      uri,
      '--db',
      sourceDb,
      '--name',
      'logged',
      '--store',
      store,
      '--include',
      'users',
      '--no-anonymize',
    ]);
    // FerretDB v1 takes SASL PLAIN and, with SQLite, does not check it: the URI with a password connects
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.msg === 'snapshot complete')).toMatchObject({ level: 'info', collections: 1 });
    expect(res.stdout + res.stderr).not.toContain('Hunter2Hunter2');
  });

  it('refuses to store raw data without an explicit --no-anonymize, writing nothing', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'raw',
      '--store',
      store,
    ]);
    expect(res.code).toBe(8);
    expect(res.stderr).toMatch(/ANONYMIZATION_REQUIRED/);
    expect(existsSync(join(store, 'raw'))).toBe(false);
  });

  it('--dry-run lists what it would capture and writes nothing', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'dry',
      '--store',
      store,
      '--no-anonymize',
      '--dry-run',
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/customers\s+collection\s+capture\s+500/);
    expect(existsSync(join(store, 'dry'))).toBe(false);
  });

  it('names an unreachable source in one line, without a stack trace', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      'mongodb://u:TopSecret99@127.0.0.1:1/',
      '--db',
      'x',
      '--store',
      store,
      '--no-anonymize',
    ]);
    expect(res.code).toBe(3);
    expect(res.stderr).not.toContain('TopSecret99');
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(readdirSync(store)).not.toContain('x');
  });
});
