import { spawnSync } from 'node:child_process';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileStore, newTestKey, s3Store, type TestStore } from '../../helpers/backup-kit.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, testTool, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const key = newTestKey();

const stores: [string, () => Promise<TestStore>][] = [
  ['the file store', () => Promise.resolve(fileStore())],
  ['moto S3', () => s3Store()],
];

describe.each(stores)('backup run and status on two fixed-clock days, on %s', (_label, makeStore) => {
  const db = uniqueDbName('bkrun');
  const restored = `${uniqueDbName('bkrun_back')}_pr_1`;
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  let store: TestStore;
  const cli = (args: string[], now: string) => runCli(args, { env: { ...store.env, DBFORK_TEST_NOW: now } });
  const backup = (now: string, extra: string[] = []) =>
    cli(
      [
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
        ...extra,
      ],
      now,
    );

  beforeAll(async () => {
    store = await makeStore();
    await source
      .db(db)
      .collection<{ _id: number; sku: string; qty: number }>('orders')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ _id: i, sku: `sku-${i}`, qty: i % 7 })));
  });
  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(restored).dropDatabase();
    await Promise.all([source.close(), target.close()]);
  });

  it('gives two timestamped backups, a daily marker per day and latest at the newer; status judges by age', async () => {
    const first = await backup('2026-11-21T02:00:00Z');
    expect(first.code, first.stderr).toBe(0);
    const second = await backup('2026-11-22T02:00:00Z', ['--gzip', '--log-level', 'info']);
    expect(second.code, second.stderr).toBe(0);
    const logs = second.stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logs.find((l) => l.msg === 'backup complete')).toMatchObject({
      level: 'info',
      databases: [db],
      collections: 1,
      attempts: 1,
      daily: '2026-11-22',
    });
    const ids = [first, second].map(
      (r) =>
        (JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { result: { manifest: { id: string } } })
          .result.manifest.id,
    );
    expect(ids[0]).toMatch(/^20261121T02000\d{4}Z-[0-9a-f]{4}$/);
    expect(ids[1]).toMatch(/^20261122T02000\d{4}Z-[0-9a-f]{4}$/);

    const objects = await store.objects();
    // audit/ holds the runs' audit records (test/integration/ops/audit-trail.test.ts)
    const keys = [...objects.keys()].filter((k) => !k.startsWith('audit/')).sort();
    expect(keys).toEqual(
      [
        `${db}/${ids[0]}/data.archive.age`,
        `${db}/${ids[0]}/manifest.json`,
        `${db}/${ids[1]}/data.archive.gz.age`,
        `${db}/${ids[1]}/manifest.json`,
        `${db}/daily/2026-11-21`,
        `${db}/daily/2026-11-22`,
        `${db}/latest`,
      ].sort(),
    );
    expect(objects.get(`${db}/latest`)?.toString().trim()).toBe(ids[1]);
    for (const [day, id] of [
      ['2026-11-21', ids[0]],
      ['2026-11-22', ids[1]],
    ] as const) {
      const marker = JSON.parse(objects.get(`${db}/daily/${day}`)?.toString() ?? '{}') as Record<
        string,
        string
      >;
      expect(marker).toMatchObject({ snapshot: `${db}@${id}`, id, date: day });
      expect(objects.get(`${db}/daily/${day}`)?.length).toBeLessThan(300); // a marker, not a copy
    }

    const status = (now: string, maxAge: string) =>
      cli(['backup', 'status', '--store', store.url, '--name', db, '--max-age', maxAge, '--json'], now);
    const fresh = await status('2026-11-23T03:00:00Z', '26h');
    expect(fresh.code, fresh.stderr).toBe(0);
    const report = JSON.parse(fresh.stdout.trim()) as {
      result: {
        healthy: boolean;
        backups: {
          state: string;
          complete: number;
          lastDaily: string;
          lastSuccess: { snapshot: string; ageMs: number; encrypted: boolean; sizeBytes: number };
        }[];
      };
    };
    expect(report.result.healthy).toBe(true);
    expect(report.result.backups[0]).toMatchObject({ state: 'ok', complete: 2, lastDaily: '2026-11-22' });
    expect(report.result.backups[0]?.lastSuccess).toMatchObject({
      snapshot: `${db}@${ids[1]}`,
      encrypted: true,
    });
    expect(report.result.backups[0]?.lastSuccess.ageMs).toBeGreaterThan(24 * 3600_000);
    const stale = await status('2026-11-23T05:00:00Z', '26h');
    expect(stale.code).toBe(1);
    expect(
      (JSON.parse(stale.stdout.trim()) as { result: { backups: { state: string }[] } }).result.backups[0]
        ?.state,
    ).toBe('stale');

    // the same status as Prometheus metrics, accepted by the real promtool; exit codes unchanged
    const metrics = (now: string) =>
      cli(['backup', 'status', '--store', store.url, '--name', db, '--max-age', '26h', '--prometheus'], now);
    const ok = await metrics('2026-11-23T03:00:00Z');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toContain(`dbfork_backup_healthy{backup="${db}"} 1`);
    expect(ok.stdout).toMatch(
      new RegExp(`dbfork_backup_last_success_age_seconds\\{backup="${db}"\\} \\d{5}`),
    );
    expect(ok.stdout).not.toContain(ids[1] ?? 'no id');
    const check = spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], {
      input: ok.stdout,
      encoding: 'utf8',
    });
    expect(check.status, check.stdout + check.stderr).toBe(0);
    const late = await metrics('2026-11-23T05:00:00Z');
    expect(late.code).toBe(1);
    expect(late.stdout).toContain(`dbfork_backup_healthy{backup="${db}"} 0`);
  });

  it('is a snapshot `dbfork restore` restores with the identity', async () => {
    const result = await runCli(
      [
        'restore',
        '--snapshot',
        `${db}@latest`,
        '--store',
        store.url,
        '--to',
        servers.targetUri,
        '--db',
        restored,
        '--no-anonymize',
        '--identity',
        key.file,
      ],
      { env: store.env },
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await target.db(restored).collection('orders').countDocuments()).toBe(50);
  });

  it('backup restore --disaster-recovery from this store writes its audit records there', async () => {
    const prod = uniqueDbName('bkrun_prod');
    const result = await runCli(
      [
        'backup',
        'restore',
        '--store',
        store.url,
        '--snapshot',
        `${db}@daily/2026-11-21`,
        '--target-uri',
        servers.targetUri,
        '--db',
        prod,
        '--identity',
        key.file,
        '--disaster-recovery',
        '--confirm',
        prod,
        '--confirm',
        prod,
        '--json',
      ],
      { env: store.env },
    );
    try {
      expect(result.code, result.stderr).toBe(0);
      expect(await target.db(prod).collection('orders').countDocuments()).toBe(50);
      const outcomes = [...(await store.objects()).entries()]
        .filter(([k]) => k.startsWith('audit/'))
        .map(([, bytes]) => JSON.parse(bytes.toString()) as { action: string; outcome: string })
        .filter((r) => r.action === 'backup.restore');
      expect(outcomes.map((o) => o.outcome).sort()).toEqual(['started', 'succeeded']);
    } finally {
      await target.db(prod).dropDatabase();
    }
  });
});

describe('backup run refusals and failures (file store)', () => {
  const store = fileStore();
  const db = uniqueDbName('bkfail');

  it('refuses without a recipient, before reading or writing anything (exit 8)', async () => {
    const result = await runCli([
      'backup',
      'run',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      store.url,
    ]);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('BACKUP_RECIPIENT_REQUIRED');
    // nothing but the audit trail of the refused run
    const objects = [...(await store.objects()).entries()];
    expect(objects.filter(([k]) => !k.startsWith('audit/'))).toEqual([]);
    const audit = objects.map(
      ([, b]) => JSON.parse(b.toString()) as { outcome: string; error?: { code: string } },
    );
    expect(audit.map((r) => [r.outcome, r.error?.code]).sort()).toEqual([
      ['failed', 'BACKUP_RECIPIENT_REQUIRED'],
      ['started', undefined],
    ]);
  });

  it('--dry-run --json prints the plan as one JSON document and writes nothing', async () => {
    const dry = await runCli([
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
      '--dry-run',
      '--json',
    ]);
    expect(dry.code, dry.stderr).toBe(0);
    const plan = JSON.parse(dry.stdout.trim()) as {
      command: string;
      operations: { kind: string; params: Record<string, unknown> }[];
    };
    expect(plan.command).toBe('backup run');
    expect(plan.operations.map((o) => o.kind)).toEqual(['backup.run']);
    expect(plan.operations[0]?.params).toMatchObject({ db, recipients: [key.recipient], retries: 2 });
    // a dry run writes no audit record either: only the refused run's two are there
    expect([...(await store.objects()).keys()].filter((k) => !k.startsWith('audit/'))).toEqual([]);
    expect([...(await store.objects()).keys()]).toHaveLength(2);
  });

  it('retries an unreachable source, exits 3 for cron, and records the failure that status shows', async () => {
    const run = await runCli([
      'backup',
      'run',
      '--uri',
      'mongodb://127.0.0.1:9/?directConnection=true',
      '--db',
      db,
      '--store',
      store.url,
      '--recipient',
      key.recipient,
      '--retries',
      '1',
      '--json',
    ]);
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('"type":"retry"');
    const keys = [...(await store.objects()).keys()].filter((k) => !k.startsWith('audit/'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(new RegExp(`^${db}/failures/\\d{8}T\\d{9}Z-[0-9a-f]{4}\\.json$`));
    const status = await runCli(['backup', 'status', '--store', store.url, '--json']);
    expect(status.code).toBe(1);
    const backups = (JSON.parse(status.stdout.trim()) as { result: { backups: Record<string, unknown>[] } })
      .result.backups;
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatchObject({
      name: db,
      state: 'never',
      lastSuccess: null,
      lastFailure: { code: 'SOURCE_UNREACHABLE', attempts: 2 },
    });
  }, 60_000);
});
