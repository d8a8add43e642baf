import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDump } from '../../../src/archive/index.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { fixtureStream } from '../restore/dump-fixture.js';

const servers = testServers();
const target = new MongoClient(servers.targetUri);
const dir = mkdtempSync(join(tmpdir(), 'dbfork-config-'));
const archive = join(dir, 'dump.archive');
/** A project folder (outside any repository: only its own dbfork.yaml is found). */
const project = (yaml: string): string => {
  const folder = mkdtempSync(join(dir, 'project-'));
  writeFileSync(join(folder, 'dbfork.yaml'), yaml);
  return folder;
};

/** Every database and its collections on the target server. */
async function serverState(): Promise<string[]> {
  const dbs = (await target.db('admin').admin().listDatabases()).databases.map((d) => d.name).sort();
  const out: string[] = [];
  for (const db of dbs) {
    const names = (await target.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    out.push(`${db}: ${names.sort().join(',')}`);
  }
  return out;
}

beforeAll(async () => {
  await target.connect();
  await writeDump(
    fixtureStream('prod', [{ name: 'people', docs: Array.from({ length: 20 }, (_, i) => ({ _id: i })) }]),
    archive,
    { format: 'archive' },
  );
});
afterAll(async () => {
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a protected database named only in dbfork.yaml is refused by restore exactly as with --protect-db', () => {
  const restore = (db: string, ...more: string[]) => [
    'restore',
    '--in',
    archive,
    '--to',
    servers.targetUri,
    '--db',
    db,
    '--no-anonymize',
    ...more,
  ];

  it.each([
    ['a production database', 'production', uniqueDbName('cfgprod'), ['--allow-target', '.*']],
    ['a snapshot database, even when it looks ephemeral', 'snapshot', `${uniqueDbName('cfgsnap')}_pr_1`, []],
  ] as const)('%s', async (_name, list, db, allow) => {
    const confirm = allow.length > 0 ? ['--confirm', db] : [];
    const before = await serverState();
    const byFlag = await runCli(restore(db, ...allow, ...confirm, '--protect-db', db));
    const cwd = project(`databases:\n  ${list}: [${db}]\n`);
    const byFile = await runCli(restore(db, ...allow, ...confirm), { cwd });
    for (const res of [byFlag, byFile]) {
      expect(res.code).toBe(8);
      expect(res.stderr).toContain('error TARGET_PROTECTED');
      expect(res.stderr).toContain('rule=protected-db');
    }
    expect(byFile.stderr).toBe(byFlag.stderr);
    // the dry run refuses the same way and shows the same verdict
    const dryFlag = await runCli(restore(db, ...allow, ...confirm, '--protect-db', db, '--dry-run'));
    const dryFile = await runCli(restore(db, ...allow, ...confirm, '--dry-run'), { cwd });
    expect(dryFile.code).toBe(8);
    expect(dryFile.stdout).toBe(dryFlag.stdout);
    expect(await serverState()).toEqual(before);
  });

  it('--config names the file from anywhere; flags add to its list', async () => {
    const db = uniqueDbName('cfgflag');
    const cwd = project(`databases:\n  production: [other_db]\n`);
    const res = await runCli([
      '--config',
      join(cwd, 'dbfork.yaml'),
      ...restore(db, '--allow-target', '.*', '--confirm', db, '--protect-db', db),
    ]);
    expect(res.code).toBe(8);
    expect(res.stderr).toContain('rule=protected-db');
  });

  it('a bad dbfork.yaml stops every command with file:line and the key path, exit 2', async () => {
    const cwd = project('databases:\n  production: shop\n');
    const res = await runCli(['snapshot', 'list', '--store', join(dir, 'none')], { cwd });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `error CONFIG_INVALID: ${join(cwd, 'dbfork.yaml')}:2:3: Invalid input: expected array, received string at databases.production`,
    );
  });
});

describe('connections never need the command line', () => {
  const secret = `pw-${Math.random().toString(36).slice(2)}-never-printed`;
  // a secret connection option FerretDB ignores: the connection works and holds a secret
  const secretUri = `${servers.targetUri}&tlsCertificateKeyFilePassword=${secret}`;
  const restoreArgs = (db: string, ...more: string[]) => [
    '--json',
    '--log-level',
    'debug',
    'restore',
    '--in',
    archive,
    '--db',
    db,
    '--no-anonymize',
    ...more,
  ];
  const dbs: string[] = [];
  const newDb = (p: string) => {
    const db = `${uniqueDbName(p)}_pr_1`;
    dbs.push(db);
    return db;
  };
  afterAll(async () => {
    for (const db of dbs) await target.db(db).dropDatabase();
  });
  const count = (db: string) => target.db(db).collection('people').countDocuments();

  it('DBFORK_TARGET_URI alone: restores, plans name the variable, the password is in no output, log or plan', async () => {
    const env = { DBFORK_TARGET_URI: secretUri };
    const db = newDb('cfgenv');
    const res = await runCli(restoreArgs(db), { env });
    expect(res.code, res.stderr).toBe(0);
    expect(await count(db)).toBe(20);
    const dry = await runCli(restoreArgs(db, '--dry-run'), { env });
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout.trim().split('\n')[0]!);
    expect(plan.operations[0].params.target).toEqual({ env: 'DBFORK_TARGET_URI' });
    const planFile = join(dir, 'env-plan.json');
    const out = await runCli(restoreArgs(db, '--plan-out', planFile), { env });
    expect(out.code, out.stderr).toBe(0);
    const applied = await runCli(['--json', '--log-level', 'debug', 'apply', planFile, '--yes'], { env });
    expect(applied.code, applied.stderr).toBe(0);
    for (const text of [
      res.stdout,
      res.stderr,
      dry.stdout,
      dry.stderr,
      out.stdout,
      readFileSync(planFile, 'utf8'),
      applied.stdout,
      applied.stderr,
    ])
      expect(text).not.toContain(secret);
  });

  it('--to-file: the plan names the file', async () => {
    const file = join(dir, 'target-uri');
    writeFileSync(file, `${secretUri}\n`, { mode: 0o600 });
    const db = newDb('cfgfile');
    const res = await runCli(restoreArgs(db, '--to-file', file));
    expect(res.code, res.stderr).toBe(0);
    expect(await count(db)).toBe(20);
    const dry = await runCli(restoreArgs(db, '--to-file', file, '--dry-run'));
    expect(JSON.parse(dry.stdout.trim().split('\n')[0]!).operations[0].params.target).toEqual({ file });
    for (const text of [res.stdout, res.stderr, dry.stdout, dry.stderr]) expect(text).not.toContain(secret);
  });

  it('dbfork.yaml target.uri: ${VAR} becomes the variable; any other value a { config } key apply resolves', async () => {
    const sole = project('target:\n  uri: ${STAGING_URI_FOR_TEST}\n');
    const db = newDb('cfgsole');
    const env = { STAGING_URI_FOR_TEST: secretUri };
    const dry = await runCli(restoreArgs(db, '--dry-run'), { env, cwd: sole });
    expect(dry.code, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout.trim().split('\n')[0]!).operations[0].params.target).toEqual({
      env: 'STAGING_URI_FOR_TEST',
    });
    const mixed = project(
      `target:\n  uri: ${servers.targetUri}&tlsCertificateKeyFilePassword=\${TLS_PW_FOR_TEST}\n`,
    );
    const planFile = join(mixed, 'plan.json');
    const out = await runCli(restoreArgs(db, '--plan-out', planFile), {
      env: { TLS_PW_FOR_TEST: secret },
      cwd: mixed,
    });
    expect(out.code, out.stderr).toBe(0);
    const planText = readFileSync(planFile, 'utf8');
    expect(JSON.parse(planText).operations[0].params.target).toEqual({ config: 'target.uri' });
    const applied = await runCli(['--json', 'apply', planFile, '--yes'], {
      env: { TLS_PW_FOR_TEST: secret },
      cwd: mixed,
    });
    expect(applied.code, applied.stderr).toBe(0);
    expect(await count(db)).toBe(20);
    const shown = await runCli(['config', 'show'], { env: { TLS_PW_FOR_TEST: secret }, cwd: mixed });
    expect(shown.stdout).toContain('tlsCertificateKeyFilePassword=***');
    for (const text of [
      dry.stdout,
      dry.stderr,
      out.stdout,
      out.stderr,
      planText,
      applied.stdout,
      applied.stderr,
      shown.stdout,
    ])
      expect(text).not.toContain(secret);
  });

  it('a variable dbfork.yaml uses and the environment lacks: exit 2 naming it and its line', async () => {
    const cwd = project('target:\n  uri: ${NOT_SET_FOR_DBFORK_TEST}\n');
    const res = await runCli(restoreArgs(newDb('cfgmiss')), { cwd, env: { NOT_SET_FOR_DBFORK_TEST: '' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain(
      `error CONFIG_ENV_MISSING: ${join(cwd, 'dbfork.yaml')}:2:3: the environment variable NOT_SET_FOR_DBFORK_TEST is not set at target.uri`,
    );
  });

  it('DBFORK_SOURCE_URI alone: snapshot create captures, and the password is in no output or manifest', async () => {
    const sourceSecretUri = `${servers.sourceUri}&tlsCertificateKeyFilePassword=${secret}`;
    const source = new MongoClient(servers.sourceUri);
    const db = uniqueDbName('cfgsrc');
    const store = join(dir, 'src-store');
    try {
      await source
        .db(db)
        .collection<{ _id: number }>('things')
        .insertMany([{ _id: 1 }, { _id: 2 }]);
      const res = await runCli(
        [
          '--json',
          '--log-level',
          'debug',
          'snapshot',
          'create',
          '--db',
          db,
          '--store',
          store,
          '--no-anonymize',
        ],
        { env: { DBFORK_SOURCE_URI: sourceSecretUri } },
      );
      expect(res.code, res.stderr).toBe(0);
      const manifest = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result;
      expect(manifest.collections.map((c: { namespace: string }) => c.namespace)).toEqual([`${db}.things`]);
      const stored = readFileSync(join(store, db, manifest.id, 'manifest.json'), 'utf8');
      for (const text of [res.stdout, res.stderr, stored]) expect(text).not.toContain(secret);
    } finally {
      await source.db(db).dropDatabase();
      await source.close();
    }
  });
});
