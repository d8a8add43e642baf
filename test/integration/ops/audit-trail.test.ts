import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, runCliWithCrash } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const KEY = 'audit-marker-key-SECRET-7731';
const PASSWORD = 'MARKERPW9931';

interface Run {
  runId: string;
  action: string;
  outcome: string;
  target: Record<string, unknown>;
  source: Record<string, unknown>;
}

/** Every audit record file of a store, parsed. */
function storeRecords(store: string): Record<string, unknown>[] {
  const root = join(store, 'audit');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((day) =>
    readdirSync(join(root, day))
      .filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(root, day, f), 'utf8')) as Record<string, unknown>),
  );
}

describe('audit trail of real runs (snapshot create, restore) in the store and an --audit-log file', () => {
  const db = uniqueDbName('audit_src');
  const targetDb = `${uniqueDbName('audit')}_pr_1`;
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-audit-'));
  const store = join(dir, 'store');
  const log = join(dir, 'audit.jsonl');
  const fallback = join(dir, 'pending.jsonl');
  const rules = join(dir, 'rules.yaml');
  const env = { DBFORK_ANONYMIZATION_KEY: KEY, DBFORK_AUDIT_FALLBACK: fallback, DBFORK_ACTOR: 'ops-test' };
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const list = async (...extra: string[]): Promise<Run[]> => {
    const res = await runCli(['--json', 'audit', 'list', '--store', store, ...extra], { env });
    expect(res.code, res.stderr).toBe(0);
    return JSON.parse(res.stdout.trim().split('\n').at(-1)!).result as Run[];
  };

  beforeAll(async () => {
    await source
      .db(db)
      .collection('users')
      .insertMany(Array.from({ length: 50 }, (_, i) => ({ i, email: `user${i}@example.com` })));
    writeFileSync(
      rules,
      `version: 1\nrules:\n  ${db}.users:\n    fields:\n      email: { transform: hash_email }\n    keep: [_id, i]\n`,
    );
  });

  afterAll(async () => {
    await source.db(db).dropDatabase();
    await target.db(targetDb).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a capture and a restore each write a started and a succeeded record, with actor, snapshot, digest and target', async () => {
    const created = await runCli(
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        db,
        '--name',
        'audited',
        '--store',
        store,
        '--rules',
        rules,
        '--audit-log',
        log,
      ],
      { env },
    );
    expect(created.code, created.stderr).toBe(0);
    const restored = await runCli(
      [
        'restore',
        '--snapshot',
        'audited@latest',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        targetDb,
        '--audit-log',
        log,
      ],
      { env },
    );
    expect(restored.code, restored.stderr).toBe(0);

    const records = storeRecords(store);
    expect(records.map((r) => `${String(r.action)}:${String(r.outcome)}`).sort()).toEqual([
      'restore:started',
      'restore:succeeded',
      'snapshot.capture:started',
      'snapshot.capture:succeeded',
    ]);
    const lines = readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((r) => r.id).sort()).toEqual(records.map((r) => r.id).sort());
    // the started record comes before the first effect: it is older than the snapshot's manifest
    const capture = records.filter((r) => r.action === 'snapshot.capture');
    const started = capture.find((r) => r.outcome === 'started')!;
    const ended = capture.find((r) => r.outcome === 'succeeded')!;
    expect(started.actor).toMatchObject({ kind: 'explicit', name: 'ops-test' });
    expect(started.anonymized).toBe(true);
    expect(String(started.rulesDigest)).toMatch(/^sha256:/);
    expect((ended.details as Record<string, unknown>).snapshot).toMatch(/^audited@/);
    expect((ended.details as Record<string, unknown>).documents).toBe(50);
    const restoreEnd = records.find((r) => r.action === 'restore' && r.outcome === 'succeeded')!;
    expect(restoreEnd.target).toMatchObject({ db: targetDb, uri: servers.targetUri });
    expect(restoreEnd.anonymized).toBe(true);
    expect(restoreEnd.rulesDigest).toBe(started.rulesDigest);
  });

  it('a failed run (a password the server refuses) ends with a failed record; no secret is in any record', async () => {
    const uri = servers.sourceUri.replace('mongodb://', `mongodb://auditor:${PASSWORD}@`);
    const res = await runCli(
      [
        'snapshot',
        'create',
        '--uri',
        uri,
        '--db',
        db,
        '--name',
        'refused',
        '--store',
        store,
        '--rules',
        rules,
        '--audit-log',
        log,
      ],
      { env },
    );
    expect(res.code).not.toBe(0);
    const runs = await list('--action', 'snapshot.capture');
    const failed = runs.find((r) => r.source.name === 'refused')!;
    expect(failed.outcome).toBe('failed');
    expect(failed.source.uri).toBe(servers.sourceUri);
    const everything = [
      readFileSync(log, 'utf8'),
      ...storeRecords(store).map((r) => JSON.stringify(r)),
      existsSync(fallback) ? readFileSync(fallback, 'utf8') : '',
    ].join('\n');
    expect(everything).not.toContain(`auditor:`); // user info is stripped from URIs too
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(KEY);
  });

  it('a SIGKILLed restore shows as interrupted; audit list filters by target and time', async () => {
    const killedDb = `${uniqueDbName('audit_kill')}_pr_2`;
    const crash = await runCliWithCrash(
      [
        'restore',
        '--snapshot',
        'audited@latest',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        killedDb,
      ],
      'restore:verified',
      env,
    );
    expect(crash.signal).toBe('SIGKILL');
    const killed = await list('--target', killedDb);
    expect(killed.map((r) => [r.action, r.outcome])).toEqual([['restore', 'interrupted']]);
    const restores = await list('--target', targetDb);
    expect(restores.map((r) => [r.action, r.outcome])).toEqual([['restore', 'succeeded']]);
    expect(await list('--since', new Date(Date.now() + 60_000).toISOString())).toEqual([]);
    expect((await list('--since', '1h')).length).toBeGreaterThanOrEqual(4);
    await target.db(killedDb).dropDatabase();
  });

  it('SIGTERM ends the run with an interrupted record', async () => {
    const { spawn } = await import('node:child_process');
    const { CLI } = await import('../../helpers/run-cli.js');
    const termDb = `${uniqueDbName('audit_term')}_pr_3`;
    const child = spawn(
      process.execPath,
      // waiting for a snapshot that never comes: the run is alive until the signal
      [CLI, 'restore', '--snapshot', 'nothere@latest', '--wait', '1m', '--wait-interval', '1s'].concat([
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        termDb,
      ]),
      { env: { ...process.env, ...env }, stdio: 'ignore' },
    );
    // wait for the started record, then interrupt
    const deadline = Date.now() + 15_000;
    const startedFor = () =>
      storeRecords(store).some((r) => (r.target as Record<string, unknown>).db === termDb);
    while (!startedFor() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('close', r));
    expect(code).toBe(130);
    expect((await list('--target', termDb)).map((r) => r.outcome)).toEqual(['interrupted']);
  });

  it('an unreachable store keeps the records in the fallback file; the next run that reaches it flushes them', async () => {
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, 'a file where the store folder should be');
    const unreachable = join(blocked, 'store');
    const shown = await runCli(['snapshot', 'show', 'audited@latest', '--store', unreachable], { env });
    expect(shown.code).not.toBe(0);
    expect(shown.stderr.match(/AUDIT_STORE_UNREACHABLE/g)?.length).toBe(1);
    const pending = readFileSync(fallback, 'utf8').trim().split('\n');
    expect(pending.map((l) => (JSON.parse(l) as { record: { outcome: string } }).record.outcome)).toEqual([
      'started',
      'failed',
    ]);
    rmSync(blocked);
    mkdirSync(unreachable, { recursive: true });
    const again = await runCli(['snapshot', 'list', '--store', unreachable], { env });
    expect(again.code).toBe(0);
    const verify = await runCli(['snapshot', 'show', 'nothing@latest', '--store', unreachable], { env });
    expect(verify.code).not.toBe(0);
    expect(
      storeRecords(unreachable)
        .map((r) => r.outcome)
        .sort(),
    ).toEqual(['failed', 'failed', 'started', 'started']);
    expect(existsSync(fallback) ? readFileSync(fallback, 'utf8').trim() : '').toBe('');
  });
});
