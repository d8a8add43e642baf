import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { readDump, writeDump } from '../../../src/archive/index.js';
import { ATLAS_DUMP, testServers, testTool, TOOLS_ARCHIVES, uniqueDbName } from '../../helpers/servers.js';
import { keygen } from './encryption-fixture.js';

const servers = testServers();
const AGE = testTool('AGE_BIN');
const AGE_KEYGEN = testTool('AGE_KEYGEN_BIN');
const tool = (name: string) => join(servers.toolsBin, name);
const work = mkdtempSync(join(tmpdir(), 'dbfork-age-interop-'));
const store = `file://${join(work, 'store')}`;
const source = new MongoClient(servers.sourceUri);
const target = new MongoClient(servers.targetUri);
const src = uniqueDbName('agesrc');
const targets: string[] = [];

function targetDb(label: string): string {
  const db = `${uniqueDbName(label)}_pr_${targets.length + 1}`;
  targets.push(db);
  return db;
}

async function expectEqualToSource(db: string, collections: readonly string[]): Promise<void> {
  for (const coll of collections) {
    const [want, got] = await Promise.all([rawById(source, src, coll), rawById(target, db, coll)]);
    expect(want.size, coll).toBeGreaterThan(0);
    expect(got.size, coll).toBe(want.size);
    for (const [id, bytes] of want) expect(got.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
  }
}

/** The stored data object of the newest snapshot of `name` in the file store. */
function dataObject(name: string): string {
  const root = join(work, 'store', name);
  const id = readdirSync(root)
    .filter((d) => d !== 'latest')
    .sort()
    .at(-1)!;
  const file = readdirSync(join(root, id)).find((f) => f.startsWith('data.archive'))!;
  return join(root, id, file);
}

beforeAll(() => {
  loadAtlasCollections(servers, servers.sourceUri, src, [
    ['sample_analytics', 'customers'],
    ['sample_mflix', 'users'],
  ]);
});

afterAll(async () => {
  await source.db(src).dropDatabase();
  for (const db of targets) await target.db(db).dropDatabase();
  await Promise.all([source.close(), target.close()]);
  rmSync(work, { recursive: true, force: true });
});

describe('dbfork → age: what dbfork encrypts, the real age CLI decrypts', () => {
  it('age -d -i <dbfork keygen identity> gives a mongodump archive that the real mongorestore loads', async () => {
    const key = await keygen(join(work, 'dbfork-key.txt'));
    const created = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      src,
      '--name',
      'tocli',
      '--store',
      store,
      '--no-anonymize',
      '--gzip',
      '--recipient',
      key.recipient,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const object = dataObject('tocli');
    expect(object.endsWith('data.archive.gz.age')).toBe(true);
    const plain = join(work, 'tocli.archive.gz');
    execFileSync(AGE, ['-d', '-i', key.file, '-o', plain, object]);
    expect(readFileSync(plain).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));

    const inspect = await runCli(['--json', 'archive', 'inspect', plain]);
    expect(inspect.code, inspect.stderr).toBe(0);
    expect(inspect.stdout).toContain('"encrypted":false');
    expect(inspect.stdout).toContain(`"namespace":"${src}.customers"`);

    const db = targetDb('agecli');
    execFileSync(tool('mongorestore'), [
      `--uri=${servers.targetUri}`,
      `--archive=${plain}`,
      '--gzip',
      '--noIndexRestore',
      '--quiet',
      `--nsFrom=${src}.*`,
      `--nsTo=${db}.*`,
    ]);
    await expectEqualToSource(db, ['customers', 'users']);
  });

  it('a wrong key is refused by age too (the data is not readable without the identity)', () => {
    const other = join(work, 'age-other.txt');
    execFileSync(AGE_KEYGEN, ['-o', other], { stdio: 'ignore' });
    expect(() => execFileSync(AGE, ['-d', '-i', other, dataObject('tocli')], { stdio: 'pipe' })).toThrow(
      /no identity matched/,
    );
  });
});

describe('age → dbfork: what the real age CLI encrypts, dbfork reads', () => {
  let identity = '';
  let recipient = '';
  let encrypted = '';
  let encryptedGzip = '';

  beforeAll(() => {
    identity = join(work, 'age-keygen.txt');
    execFileSync(AGE_KEYGEN, ['-o', identity], { stdio: 'ignore' });
    recipient = execFileSync(AGE_KEYGEN, ['-y', identity]).toString().trim();
    for (const gzip of [false, true]) {
      const archive = join(work, `mongodump${gzip ? '.archive.gz' : '.archive'}`);
      execFileSync(tool('mongodump'), [
        `--uri=${servers.sourceUri}`,
        `--db=${src}`,
        `--archive=${archive}`,
        ...(gzip ? ['--gzip'] : []),
        '--quiet',
      ]);
      execFileSync(AGE, ['-r', recipient, '-o', `${archive}.age`, archive]);
      if (gzip) encryptedGzip = `${archive}.age`;
      else encrypted = `${archive}.age`;
    }
  });

  it('archive inspect --identity reads an age -r encrypted mongodump archive (plain and gzipped)', async () => {
    for (const [file, gzip] of [
      [encrypted, false],
      [encryptedGzip, true],
    ] as const) {
      const res = await runCli(['--json', 'archive', 'inspect', file, '--identity', identity]);
      expect(res.code, res.stderr).toBe(0);
      const { result: report } = JSON.parse(res.stdout) as {
        result: {
          encrypted: boolean;
          gzip: boolean;
          collections: { namespace: string; documents: number; crc: string }[];
        };
      };
      expect(report.encrypted).toBe(true);
      expect(report.gzip).toBe(gzip);
      expect(report.collections.map((c) => [c.namespace, c.documents, c.crc]).sort()).toEqual([
        [`${src}.customers`, 500, 'ok'],
        [`${src}.users`, 185, 'ok'],
      ]);
    }
  });

  it('restore --in <file.archive.age> --identity loads it equal to the source', async () => {
    const db = targetDb('agein');
    const res = await runCli([
      'restore',
      '--in',
      encryptedGzip,
      '--identity',
      identity,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--ns-from',
      `${src}.*`,
      '--ns-to',
      `${db}.*`,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    await expectEqualToSource(db, ['customers', 'users']);
  });

  it('without --identity an encrypted dump is DECRYPTION_IDENTITY_REQUIRED (restore, inspect, scan)', async () => {
    const db = targetDb('agenoid');
    const restore = await runCli([
      'restore',
      '--in',
      encrypted,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--no-anonymize',
    ]);
    const inspect = await runCli(['archive', 'inspect', encrypted]);
    const scan = await runCli(['scan', '--in', encrypted]);
    for (const res of [restore, inspect, scan]) {
      expect(res.code, res.stderr).not.toBe(0);
      expect(res.stderr).toContain('DECRYPTION_IDENTITY_REQUIRED');
    }
    expect(await target.db(db).listCollections().toArray()).toEqual([]);
  });

  it('scan --in <file.age> --identity finds the personal data inside', async () => {
    const res = await runCli(['--json', 'scan', '--in', encrypted, '--identity', identity]);
    expect(res.code, res.stderr).toBe(1);
    expect(res.stdout).toContain('email');
  });

  it('an age -r encrypted mongo-tools test archive (test.bar) inspects the same as the plain one', async () => {
    const plain = join(TOOLS_ARCHIVES, 'test.bar.archive');
    const sealed = join(work, 'test.bar.archive.age');
    execFileSync(AGE, ['-r', recipient, '-o', sealed, plain]);
    const [a, b] = await Promise.all([
      runCli(['--json', 'archive', 'inspect', plain]),
      runCli(['--json', 'archive', 'inspect', sealed, '--identity', identity]),
    ]);
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    const strip = (s: string) => ({
      ...(JSON.parse(s) as { result: object }).result,
      path: '',
      encrypted: null,
    });
    expect(strip(b.stdout)).toEqual(strip(a.stdout));
  });

  it('an identity from age-keygen works with dbfork --identity for a dbfork snapshot', async () => {
    const created = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      src,
      '--name',
      'fromcli',
      '--store',
      store,
      '--no-anonymize',
      '--recipient',
      recipient,
    ]);
    expect(created.code, created.stderr).toBe(0);
    const verify = await runCli([
      'snapshot',
      'verify',
      'fromcli@latest',
      '--store',
      store,
      '--identity',
      identity,
    ]);
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`${src}\\.users\\s+185\\s+185\\s+ok`));
    const db = targetDb('agekg');
    const res = await runCli([
      'restore',
      '--snapshot',
      'fromcli@latest',
      '--store',
      store,
      '--identity',
      identity,
      '--to',
      servers.targetUri,
      '--db',
      db,
      '--ns-from',
      `${src}.*`,
      '--ns-to',
      `${db}.*`,
      '--no-anonymize',
    ]);
    expect(res.code, res.stderr).toBe(0);
    await expectEqualToSource(db, ['customers', 'users']);
  });
});

it('a file of several identities (age-keygen output twice) decrypts with either', async () => {
  const a = join(work, 'a.txt');
  const b = join(work, 'b.txt');
  execFileSync(AGE_KEYGEN, ['-o', a], { stdio: 'ignore' });
  execFileSync(AGE_KEYGEN, ['-o', b], { stdio: 'ignore' });
  const both = join(work, 'both.txt');
  writeFileSync(both, readFileSync(a, 'utf8') + readFileSync(b, 'utf8'), { mode: 0o600 });
  const sealed = join(work, 'b.archive.age');
  const rb = execFileSync(AGE_KEYGEN, ['-y', b]).toString().trim();
  execFileSync(AGE, ['-r', rb, '-o', sealed, join(TOOLS_ARCHIVES, 'test.bar.archive')]);
  const res = await runCli(['archive', 'inspect', sealed, '--identity', both]);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain('age-encrypted');
});

it('a post-quantum identity (age-keygen -pq) works both ways: dbfork encrypts to it, age decrypts, and back', async () => {
  const pq = join(work, 'pq.txt');
  execFileSync(AGE_KEYGEN, ['-pq', '-o', pq], { stdio: 'ignore' });
  const recipient = execFileSync(AGE_KEYGEN, ['-y', pq]).toString().trim();
  expect(recipient.startsWith('age1pq1')).toBe(true);
  const created = await runCli([
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    src,
    '--name',
    'pq',
    '--store',
    store,
    '--no-anonymize',
    '--recipient',
    recipient,
  ]);
  expect(created.code, created.stderr).toBe(0);
  const plain = join(work, 'pq.archive');
  execFileSync(AGE, ['-d', '-i', pq, '-o', plain, dataObject('pq')]);
  const inspect = await runCli(['archive', 'inspect', plain]);
  expect(inspect.code, inspect.stderr).toBe(0);
  expect(inspect.stdout).toMatch(new RegExp(`${src}\\.users\\s+collection\\s+185`));
  const verify = await runCli(['snapshot', 'verify', 'pq@latest', '--store', store, '--identity', pq]);
  expect(verify.code, verify.stdout + verify.stderr).toBe(0);
});

it('anonymize --in <file.age> --identity rewrites an age-encrypted archive of the Atlas sample', async () => {
  const archive = join(work, 'atlas.archive');
  await writeDump(readDump(ATLAS_DUMP), archive, { format: 'archive' });
  const a = join(work, 'anon-key.txt');
  execFileSync(AGE_KEYGEN, ['-o', a], { stdio: 'ignore' });
  execFileSync(AGE, [
    '-r',
    execFileSync(AGE_KEYGEN, ['-y', a]).toString().trim(),
    '-o',
    `${archive}.age`,
    archive,
  ]);
  const out = join(work, 'atlas-anon.archive');
  const env = { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' };
  const args = [
    'anonymize',
    '--in',
    `${archive}.age`,
    '--out',
    out,
    '--rules',
    'examples/atlas-sample.rules.yaml',
  ];
  const without = await runCli(args, { env });
  expect(without.code).toBe(2);
  expect(without.stderr).toContain('DECRYPTION_IDENTITY_REQUIRED');
  const res = await runCli([...args, '--identity', a], { env });
  expect(res.code, res.stderr).toBe(0);
  const inspect = await runCli(['archive', 'inspect', out]);
  expect(inspect.code, inspect.stderr).toBe(0);
  expect(inspect.stdout).toMatch(/sample_mflix\.users\s+collection\s+185/);
});
