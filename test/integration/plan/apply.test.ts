import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

/** The last NDJSON line's `result`. */
const lastResult = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!).result;

describe('plans: --dry-run --json, --plan-out, then dbfork apply on the real servers', () => {
  const sourceDb = uniqueDbName('plan_src');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-plan-'));
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const direct = `${uniqueDbName('plan_direct')}_pr_1`;
  const applied = `${uniqueDbName('plan_apply')}_pr_2`;
  // connections by name: the plan names the variables, never their values
  const env = { DBFORK_IT_SOURCE: servers.sourceUri, DBFORK_IT_TARGET: servers.targetUri };
  let snapshot = '';

  beforeAll(() => {
    loadAtlasCollections(servers, servers.sourceUri, sourceDb, [
      ['sample_analytics', 'customers'],
      ['sample_mflix', 'theaters'],
    ]);
  });
  afterAll(async () => {
    await source.db(sourceDb).dropDatabase();
    for (const db of [direct, applied]) await target.db(db).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const create = [
    'snapshot',
    'create',
    '--uri-env',
    'DBFORK_IT_SOURCE',
    '--db',
    sourceDb,
    '--name',
    'plan',
    '--store',
    store,
    '--no-anonymize',
  ];

  it('snapshot create --dry-run --json prints one plan document and captures nothing', async () => {
    const res = await runCli(['--json', ...create, '--dry-run'], { env });
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout);
    expect(plan).toMatchObject({ schemaVersion: 1, command: 'snapshot create', guard: null });
    expect(plan.operations).toHaveLength(1);
    expect(plan.operations[0]).toMatchObject({
      kind: 'snapshot.capture',
      aspects: ['retryable'],
      params: { source: { env: 'DBFORK_IT_SOURCE' }, db: sourceDb, anonymization: { none: true } },
    });
    expect(plan.preview.collections.map((c: { namespace: string }) => c.namespace)).toEqual([
      `${sourceDb}.customers`,
      `${sourceDb}.theaters`,
    ]);
    expect(existsSync(join(store, 'plan'))).toBe(false);
  });

  it('snapshot create --plan-out then apply captures what the direct command captures', async () => {
    const planFile = join(dir, 'capture.json');
    const planned = await runCli([...create, '--plan-out', planFile], { env });
    expect(planned.code, planned.stderr).toBe(0);
    expect(existsSync(join(store, 'plan'))).toBe(false);
    expect(readFileSync(planFile, 'utf8')).not.toContain('127.0.0.1');

    const viaPlan = await runCli(['--json', 'apply', planFile], { env });
    expect(viaPlan.code, viaPlan.stderr).toBe(0);
    const result = lastResult(viaPlan.stdout);
    expect(result.operations[0]).toMatchObject({ id: 'capture', status: 'succeeded', attempts: 1 });
    const manifest = result.operations[0].output;
    snapshot = `plan@${manifest.id}`;

    const directRun = await runCli(['--json', ...create], { env });
    expect(directRun.code, directRun.stderr).toBe(0);
    const directManifest = lastResult(directRun.stdout);
    const digest = (m: { collections: { namespace: string; documents: number; crc64: string }[] }) =>
      m.collections.map((c) => [c.namespace, c.documents, c.crc64]);
    expect(digest(manifest)).toEqual(digest(directManifest));
    expect(digest(manifest).map((c) => c[1])).toEqual([500, 1564]);
  });

  it('restore --plan-out then apply gives byte-equal target data to the direct restore; the plan holds no connection string', async () => {
    const restore = (db: string) => [
      'restore',
      '--snapshot',
      snapshot,
      '--store',
      store,
      '--to-env',
      'DBFORK_IT_TARGET',
      '--db',
      db,
      '--no-anonymize',
    ];
    const directRun = await runCli(restore(direct), { env });
    expect(directRun.code, directRun.stderr).toBe(0);

    const dry = await runCli(['--json', ...restore(applied), '--dry-run'], { env });
    expect(dry.code, dry.stderr).toBe(0);
    const shown = JSON.parse(dry.stdout);
    expect(shown.guard).toMatchObject({ allowed: true, rule: 'ephemeral' });
    expect(shown.operations.map((o: { kind: string }) => o.kind)).toEqual(['restore.run']);
    expect(shown.operations[0].aspects).toEqual([
      'destructive',
      'needs-confirmation',
      'idempotent',
      'retryable',
    ]);

    const planFile = join(dir, 'restore.json');
    const planned = await runCli([...restore(applied), '--plan-out', planFile], { env });
    expect(planned.code, planned.stderr).toBe(0);
    const text = readFileSync(planFile, 'utf8');
    expect(text).toContain('"env": "DBFORK_IT_TARGET"');
    expect(text).not.toContain(servers.targetUri);
    expect(text).not.toContain('127.0.0.1:27218');
    expect((await target.db(applied).listCollections().toArray()).length).toBe(0);

    // destructive: without --yes and without a terminal, apply refuses and writes nothing
    const unconfirmed = await runCli(['apply', planFile], { env });
    expect(unconfirmed.code).toBe(8);
    expect(unconfirmed.stderr).toMatch(/PLAN_NOT_CONFIRMED/);
    expect((await target.db(applied).listCollections().toArray()).length).toBe(0);

    const viaPlan = await runCli(['apply', planFile, '--yes'], { env });
    expect(viaPlan.code, viaPlan.stderr).toBe(0);
    expect(viaPlan.stdout).toMatch(/restore\s+restore\.run\s+succeeded/);
    for (const coll of ['customers', 'theaters']) {
      const a = await rawById(target, direct, coll);
      const b = await rawById(target, applied, coll);
      expect(b.size).toBeGreaterThan(0);
      expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
      for (const [id, bytes] of a) expect(b.get(id)?.equals(bytes), id).toBe(true);
    }
    const meta = await target.db(applied).collection('snapshot_metadata').findOne({});
    expect(meta?.snapshotId).toBe(snapshot);
  });

  it('apply re-checks live state: an edited target is refused by the guard, a missing variable is named', async () => {
    const planFile = join(dir, 'restore.json');
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    plan.operations[0].params.db = 'admin';
    const edited = join(dir, 'edited.json');
    writeFileSync(edited, JSON.stringify(plan));
    const refused = await runCli(['apply', edited, '--yes'], { env });
    expect(refused.code).toBe(8);
    expect(refused.stderr).toMatch(/TARGET_PROTECTED/);

    const unset = await runCli(['apply', planFile, '--yes'], { env: { DBFORK_IT_TARGET: '' } });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/PLAN_SECRET_UNRESOLVED: \$DBFORK_IT_TARGET gives no value/);
  });

  it('--plan-out refuses a connection string given by value with a password, and writes no file', async () => {
    const planFile = join(dir, 'secret.json');
    const res = await runCli([
      'restore',
      '--snapshot',
      snapshot,
      '--store',
      store,
      '--to',
      'mongodb://app:Sup3rSecretPw@127.0.0.1:27218/',
      '--db',
      'x_pr_9',
      '--no-anonymize',
      '--plan-out',
      planFile,
    ]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/PLAN_NEEDS_REFERENCE/);
    expect(res.stderr).not.toContain('Sup3rSecretPw');
    expect(existsSync(planFile)).toBe(false);
  });

  it('snapshot prune --plan-out then apply deletes what the plan says; a second apply skips it as already done', async () => {
    const planFile = join(dir, 'prune.json');
    const planned = await runCli([
      'snapshot',
      'prune',
      '--store',
      store,
      '--keep-last',
      '1',
      '--plan-out',
      planFile,
    ]);
    expect(planned.code, planned.stderr).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, 'utf8'));
    expect(plan.operations.map((o: { params: { id: string } }) => `plan@${o.params.id}`)).toEqual([snapshot]);
    const first = await runCli(['--json', 'apply', planFile, '--yes']);
    expect(first.code, first.stderr).toBe(0);
    expect(lastResult(first.stdout).operations[0].status).toBe('succeeded');
    const again = await runCli(['--json', 'apply', planFile, '--yes']);
    expect(again.code, again.stderr).toBe(0);
    expect(lastResult(again.stdout).operations[0]).toMatchObject({
      status: 'skipped',
      reason: 'already done',
    });
  });
});
