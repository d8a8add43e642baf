import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, waitForHttp } from '../../helpers/free-port.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, testTool, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

/** The value of one sample of a text exposition, found by its metric name and labels. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const m = /^(\w+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe('metrics of a real snapshot create, to a textfile and a real Pushgateway', () => {
  const db = uniqueDbName('metrics_src');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-metrics-'));
  const store = join(dir, 'store');
  const blocked = join(dir, 'not-a-folder');
  const source = new MongoClient(servers.sourceUri);
  let gateway: ChildProcess | undefined;
  let gatewayUrl = '';

  const create = (extra: string[], storeAt = store) =>
    runCli([
      '--json',
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      db,
      '--store',
      storeAt,
      '--no-anonymize',
      ...extra,
    ]);

  beforeAll(async () => {
    await source
      .db(db)
      .collection('users')
      .insertMany(Array.from({ length: 120 }, (_, i) => ({ i, name: `u${i}` })));
    await source
      .db(db)
      .collection('orders')
      .insertMany(Array.from({ length: 30 }, (_, i) => ({ i })));
    writeFileSync(blocked, 'a file where the store would need a folder');
    const port = await freePort();
    gatewayUrl = `http://127.0.0.1:${port}`;
    gateway = spawn(testTool('PUSHGATEWAY_BIN'), [`--web.listen-address=127.0.0.1:${port}`], {
      stdio: 'ignore',
    });
    await waitForHttp(`${gatewayUrl}/-/ready`);
  });
  afterAll(async () => {
    gateway?.kill('SIGTERM');
    await source.db(db).dropDatabase();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('promtool check metrics accepts the textfile; it holds the run figures of the manifest, written 0640', async () => {
    const textfile = join(dir, 'textfile', 'dbfork-create.prom');
    const res = await create(['--metrics-textfile', textfile]);
    expect(res.code).toBe(0);
    const manifest = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result;
    const text = readFileSync(textfile, 'utf8');
    const check = spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], {
      input: text,
      encoding: 'utf8',
    });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({ status: 0, out: '' });

    const run = { command: 'snapshot_create', database: db, outcome: 'success' };
    expect(sample(text, 'dbfork_run_documents', run)).toBe(150);
    const bytes = manifest.collections.reduce((n: number, c: { bytes: number }) => n + c.bytes, 0);
    expect(sample(text, 'dbfork_run_bytes', run)).toBe(bytes);
    expect(sample(text, 'dbfork_run_collection_documents', { database: db, collection: 'users' })).toBe(120);
    expect(sample(text, 'dbfork_run_collection_documents', { database: db, collection: 'orders' })).toBe(30);
    expect(sample(text, 'dbfork_run_success', { database: db })).toBe(1);
    expect(sample(text, 'dbfork_run_duration_seconds', run)).toBeGreaterThan(0);
    const lastSuccess = sample(text, 'dbfork_last_success_timestamp_seconds', { database: db })!;
    expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(60);
    expect(text).not.toContain(manifest.id);
    expect(statSync(textfile).mode & 0o777).toBe(0o640);

    // a failed run (the store cannot be made) keeps its exit code and the last success, says failure
    const plain = await create([], join(blocked, 'store'));
    expect(plain.code).not.toBe(0);
    const failed = await create(['--metrics-textfile', textfile], join(blocked, 'store'));
    expect(failed.code).toBe(plain.code);
    const after = readFileSync(textfile, 'utf8');
    expect(sample(after, 'dbfork_run_success', { database: db })).toBe(0);
    expect(sample(after, 'dbfork_run_duration_seconds', { ...run, outcome: 'failure' })).toBeGreaterThan(0);
    expect(sample(after, 'dbfork_last_success_timestamp_seconds', { database: db })).toBe(lastSuccess);
    const recheck = spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], {
      input: after,
      encoding: 'utf8',
    });
    expect(recheck.status).toBe(0);
  });

  it('pushes to the Pushgateway as job dbfork grouped by command and database; a failure keeps the last success', async () => {
    const res = await create(['--pushgateway', gatewayUrl]);
    expect(res.code).toBe(0);
    const group = { job: 'dbfork', command: 'snapshot_create', database: db };
    const pushed = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(sample(pushed, 'dbfork_run_documents', { ...group, outcome: 'success' })).toBe(150);
    expect(sample(pushed, 'dbfork_run_collection_documents', { ...group, collection: 'users' })).toBe(120);
    expect(sample(pushed, 'dbfork_run_success', group)).toBe(1);
    const lastSuccess = sample(pushed, 'dbfork_last_success_timestamp_seconds', group);
    expect(lastSuccess).toBeGreaterThan(0);
    expect(sample(pushed, 'push_time_seconds', group)).toBeGreaterThan(0);

    const failed = await create(['--pushgateway', gatewayUrl], join(blocked, 'store'));
    expect(failed.code).not.toBe(0);
    const after = await (await fetch(`${gatewayUrl}/metrics`)).text();
    expect(sample(after, 'dbfork_run_success', group)).toBe(0);
    expect(
      sample(after, 'dbfork_run_finished_timestamp_seconds', { ...group, outcome: 'failure' }),
    ).toBeGreaterThan(0);
    expect(sample(after, 'dbfork_last_success_timestamp_seconds', group)).toBe(lastSuccess);
  });

  it('restore, refresh and snapshot prune report too: what was written per target collection; prune without figures', async () => {
    const targetDb = `${uniqueDbName('metrics')}_pr_7`;
    const restoreFile = join(dir, 'textfile', 'dbfork-restore.prom');
    const restored = await runCli([
      'restore',
      '--snapshot',
      `${db}@latest`,
      '--store',
      store,
      '--to',
      servers.targetUri,
      '--db',
      targetDb,
      '--no-anonymize',
      '--metrics-textfile',
      restoreFile,
    ]);
    const target = new MongoClient(servers.targetUri);
    try {
      expect(restored.code).toBe(0);
      const text = readFileSync(restoreFile, 'utf8');
      const labels = { command: 'restore', database: targetDb };
      expect(sample(text, 'dbfork_run_documents', { ...labels, outcome: 'success' })).toBe(
        (await target.db(targetDb).collection('users').countDocuments()) +
          (await target.db(targetDb).collection('orders').countDocuments()),
      );
      expect(sample(text, 'dbfork_run_collection_documents', { ...labels, collection: 'users' })).toBe(120);
      expect(spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], { input: text }).status).toBe(0);
    } finally {
      await target.db(targetDb).dropDatabase();
      await target.close();
    }

    const refreshDb = `${uniqueDbName('metrics')}_pr_8`;
    const refreshFile = join(dir, 'textfile', 'dbfork-refresh.prom');
    const refreshed = await runCli([
      'refresh',
      '--from',
      servers.sourceUri,
      '--db',
      db,
      '--to',
      servers.targetUri,
      '--target-db',
      refreshDb,
      '--store',
      store,
      '--name',
      `${db}-refresh`,
      '--no-anonymize',
      '--metrics-textfile',
      refreshFile,
    ]);
    const cleanup = new MongoClient(servers.targetUri);
    await cleanup.db(refreshDb).dropDatabase();
    await cleanup.close();
    expect(refreshed.code).toBe(0);
    const refreshText = readFileSync(refreshFile, 'utf8');
    const refreshRun = { command: 'refresh', database: db, outcome: 'success' };
    expect(sample(refreshText, 'dbfork_run_documents', refreshRun)).toBe(150);
    expect(
      sample(refreshText, 'dbfork_run_collection_documents', { command: 'refresh', collection: 'orders' }),
    ).toBe(30);

    const pruneFile = join(dir, 'textfile', 'dbfork-prune.prom');
    const pruned = await runCli([
      'snapshot',
      'prune',
      '--store',
      store,
      '--name',
      db,
      '--keep-last',
      '1',
      '--metrics-textfile',
      pruneFile,
    ]);
    expect(pruned.code).toBe(0);
    const text = readFileSync(pruneFile, 'utf8');
    expect(sample(text, 'dbfork_run_success', { command: 'snapshot_prune', database: db })).toBe(1);
    expect(text).not.toContain('dbfork_run_documents{');
    expect(spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], { input: text }).status).toBe(0);
  });

  it('anonymize reports the documents and bytes it wrote, per db.collection (a dump holds several databases)', async () => {
    const textfile = join(dir, 'textfile', 'dbfork-anonymize.prom');
    const res = await runCli(
      [
        '--json',
        'anonymize',
        '--in',
        ATLAS_DUMP,
        '--out',
        join(dir, 'anonymized'),
        '--rules',
        'examples/atlas-sample.rules.yaml',
        '--metrics-textfile',
        textfile,
      ],
      { env: { DBFORK_ANONYMIZATION_KEY: 'integration-test-key-0123456789' } },
    );
    expect(res.code).toBe(0);
    const result = JSON.parse(res.stdout.trim().split('\n').at(-1)!).result as {
      namespaces: { namespace: string; documentsOut: number; bytesOut: number }[];
    };
    const text = readFileSync(textfile, 'utf8');
    const run = { command: 'anonymize', database: '', outcome: 'success' };
    expect(sample(text, 'dbfork_run_documents', run)).toBe(
      result.namespaces.reduce((n, s) => n + s.documentsOut, 0),
    );
    expect(sample(text, 'dbfork_run_bytes', run)).toBe(result.namespaces.reduce((n, s) => n + s.bytesOut, 0));
    const users = result.namespaces.find((s) => s.namespace === 'sample_mflix.users')!;
    expect(
      sample(text, 'dbfork_run_collection_documents', {
        command: 'anonymize',
        collection: 'sample_mflix.users',
      }),
    ).toBe(users.documentsOut);
    expect(spawnSync(testTool('PROMTOOL_BIN'), ['check', 'metrics'], { input: text }).status).toBe(0);
  });

  it('a Pushgateway that is down is logged and leaves the exit code as it was', async () => {
    const res = await create(['--pushgateway', `http://127.0.0.1:${await freePort()}`]);
    expect(res.code).toBe(0);
    expect(res.stderr).toContain('METRICS_PUBLISH_FAILED');
  });

  it('refuses a textfile the collector would not read, before any work', async () => {
    const res = await create(['--metrics-textfile', join(dir, 'metrics.txt')]);
    expect(res.code).toBe(2);
    expect(res.stdout).toContain('CONFIG_BAD_OPTION');
  });
});
