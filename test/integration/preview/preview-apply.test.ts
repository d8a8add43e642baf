import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../../helpers/servers.js';
import { writeEvent, type EventCase } from './webhook-events.js';

const servers = testServers();
const dir = mkdtempSync(join(tmpdir(), 'dbfork-preview-apply-'));
const store = join(dir, 'store');
const rules = join(dir, 'rules.yaml');
const KEY = { DBFORK_ANONYMIZATION_KEY: randomBytes(32).toString('base64') };
const ANALYTICS = join(ATLAS_DUMP, 'sample_analytics');
const sourceDb = uniqueDbName('preview_src');
// PR numbers unique to this run: the target server is shared
const base = 700000 + Math.floor(Math.random() * 90000) * 10;
const P = 'preview';
const S = 'use-snapshot';
const D = 'persist-db';

let source: MongoClient;
let target: MongoClient;

beforeAll(async () => {
  source = await MongoClient.connect(servers.sourceUri);
  target = await MongoClient.connect(servers.targetUri);
  const db = source.db(sourceDb);
  await db
    .collection<{ _id: number } & Record<string, unknown>>('people')
    .insertMany(Array.from({ length: 5 }, (_, i) => ({ _id: i, n: i, email: `person${i}@example.org` })));
  await db.collection<{ _id: number } & Record<string, unknown>>('orders').insertMany([
    { _id: 1, total: 10 },
    { _id: 2, total: 20 },
    { _id: 3, total: 30 },
  ]);
  writeFileSync(
    rules,
    'version: 1\nrules:\n  people:\n    fields:\n      email: { transform: hash_email }\n    keep: [_id, n]\n  orders:\n    keep: [_id, total]\n',
  );
  const snap = await runCli(
    [
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--store',
      store,
      '--name',
      'prod',
      '--rules',
      rules,
    ],
    { env: KEY },
  );
  expect(snap.code, snap.stderr).toBe(0);
});

afterAll(async () => {
  await source.db(sourceDb).dropDatabase();
  for (let i = 0; i < 10; i++) await target.db(`app_pr_${base + i}`).dropDatabase();
  await source.close();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

let n = 0;
async function apply(c: EventCase, ...flags: string[]): Promise<CliResult & { result: Result }> {
  const file = writeEvent(dir, { ...c, updatedAt: `2026-01-11T10:00:${String(n++).padStart(2, '0')}Z` });
  const res = await runCli([
    'preview',
    'apply',
    '--event',
    file,
    '--target-uri',
    servers.targetUri,
    '--store',
    store,
    '--snapshot',
    'prod',
    ...flags,
    '--json',
  ]);
  const line = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { type: string; result?: Result })
    .find((l) => l.type === 'result');
  return { ...res, result: line?.result ?? ({ actions: [] } as unknown as Result) };
}

interface Result {
  database: string;
  locked: boolean;
  actions: { type: string; kind?: string; text?: string }[];
  plan: { ok: boolean; operations: { kind: string; status: string }[] } | null;
}

async function collections(db: string): Promise<string[]> {
  return (await target.db(db).listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).sort();
}

describe('dbfork preview apply on the test servers', () => {
  const pr = base;
  const db = `app_pr_${pr}`;

  it('restores a PR database from the snapshot (first deploy with use-snapshot and persist-db), then locks it', async () => {
    const res = await apply({ action: 'opened', number: pr, labels: [P, S, D] });
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.actions.map((a) => a.type)).toEqual(['restore-snapshot', 'comment']);
    expect(res.result.actions[1]?.text).toMatch(/Snapshot taken: \*\*20\d\d-\d\d-\d\d \d\d:\d\d UTC\*\*/);
    expect(res.result.plan?.operations.map((o) => `${o.kind}:${o.status}`)).toEqual([
      'preview.restore:succeeded',
      'restore.drop-extra:succeeded',
      'preview.lock:succeeded',
    ]);
    expect(await collections(db)).toEqual(['orders', 'people', 'snapshot_metadata']);
    const people = await target
      .db(db)
      .collection<{ _id: number } & Record<string, unknown>>('people')
      .find()
      .sort({ _id: 1 })
      .toArray();
    expect(people).toHaveLength(5);
    expect(people[0]?.email).not.toBe('person0@example.org');
    const lock = await target
      .db(db)
      .collection('snapshot_metadata')
      .findOne({ _id: 'lock' as never });
    expect(lock).toMatchObject({ locked: true, pr, label: D });
    const preview = await target
      .db(db)
      .collection('snapshot_metadata')
      .findOne({ _id: 'preview' as never });
    expect(preview).toMatchObject({ pr, source: 'snapshot' });
  });

  it('a sync of the locked database keeps it', async () => {
    await target
      .db(db)
      .collection<{ _id: number } & Record<string, unknown>>('people')
      .insertOne({ _id: 99, n: 99, email: 'kept@example.org' });
    const res = await apply({ action: 'synchronize', number: pr, labels: [P, S, D] });
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.actions.map((a) => a.type)).toEqual(['keep']);
    expect(
      await target.db(db).collection<{ _id: number } & Record<string, unknown>>('people').countDocuments(),
    ).toBe(6);
  });

  it('closed with persist-db: kept, and the PreDelete cleanup refuses it', async () => {
    const res = await apply({ action: 'closed', number: pr, labels: [P, S, D] });
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.actions.map((a) => a.kind ?? a.type)).toEqual(['keep', 'kept-locked-closed']);
    expect(await collections(db)).toContain('people');
    const cleanup = await runCli([
      'preview',
      'cleanup',
      '--pr',
      String(pr),
      '--target-uri',
      servers.targetUri,
      '--json',
    ]);
    expect(cleanup.code).toBe(8);
    expect(cleanup.stdout + cleanup.stderr).toContain('PREVIEW_DATABASE_LOCKED');
    const hook = await runCli([
      'preview',
      'cleanup',
      '--pr',
      String(pr),
      '--target-uri',
      servers.targetUri,
      '--if-unlocked',
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(hook.stdout).toContain(`kept ${db}: locked by ${D} on PR #${pr}`);
    expect(
      await target.db(db).collection<{ _id: number } & Record<string, unknown>>('people').countDocuments(),
    ).toBe(6);
  });

  it('persist-db removed from the closed PR: the database is dropped', async () => {
    const res = await apply({ action: 'unlabeled', number: pr, labels: [P, S], label: D, state: 'closed' });
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.actions.map((a) => a.kind ?? a.type)).toEqual([
      'drop-database',
      'dropped-unlocked-closed',
    ]);
    expect(res.result.plan?.operations.map((o) => `${o.kind}:${o.status}`)).toEqual([
      'preview.drop:succeeded',
    ]);
    expect(await collections(db)).toEqual([]);
  });

  it('seeds from a seed dump folder, and drops it on close without persist-db', async () => {
    const seeded = base + 1;
    const opened = await apply({ action: 'opened', number: seeded, labels: [P] }, '--seed-dump', ANALYTICS);
    expect(opened.code, opened.stderr).toBe(0);
    expect(opened.result.actions.map((a) => a.type)).toEqual(['create-from-seed', 'comment']);
    expect(await collections(`app_pr_${seeded}`)).toEqual(['accounts', 'customers', 'snapshot_metadata']);
    const closed = await apply({ action: 'closed', number: seeded, labels: [P] }, '--seed-dump', ANALYTICS);
    expect(closed.code, closed.stderr).toBe(0);
    expect(closed.result.actions.map((a) => a.kind ?? a.type)).toEqual(['drop-database', 'deleted']);
    expect(await collections(`app_pr_${seeded}`)).toEqual([]);
  });

  it('seeds with a seed command that gets the PR database URI in its environment', async () => {
    const seeded = base + 2;
    const tools = servers.toolsBin;
    const command = `"${tools}/mongorestore" --uri "$MONGODB_URI" --db "$DBFORK_PREVIEW_DB" --quiet "${ANALYTICS}"`;
    const res = await apply({ action: 'opened', number: seeded, labels: [P] }, '--seed-command', command);
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.plan?.operations.map((o) => o.kind)).toEqual(['preview.seed-command']);
    expect(await target.db(`app_pr_${seeded}`).collection('accounts').countDocuments()).toBeGreaterThan(0);
  });

  it('refuses a raw snapshot with anonymize: true (the default) and restores nothing', async () => {
    const raw = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--store',
      store,
      '--name',
      'raw',
      '--no-anonymize',
    ]);
    expect(raw.code, raw.stderr).toBe(0);
    const file = writeEvent(dir, { action: 'opened', number: base + 3, labels: [P, S] });
    const res = await runCli([
      'preview',
      'apply',
      '--event',
      file,
      '--target-uri',
      servers.targetUri,
      '--store',
      store,
      '--snapshot',
      'raw',
    ]);
    expect(res.code).toBe(8);
    expect(res.stderr).toContain('ANONYMIZATION_REQUIRED');
    expect(await collections(`app_pr_${base + 3}`)).toEqual([]);
  });

  it('quota: a new PR database past the most allowed is refused with a comment action', async () => {
    const res = await apply(
      { action: 'opened', number: base + 4, labels: [P] },
      '--seed-dump',
      ANALYTICS,
      '--max-databases',
      '1',
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.result.actions.map((a) => a.kind ?? a.type)).toEqual(['none', 'quota-exceeded']);
    expect(res.result.plan).toBeNull();
    expect(await collections(`app_pr_${base + 4}`)).toEqual([]);
  });

  it('clones staging when the #preview-config block says source: staging', async () => {
    const staging = uniqueDbName('preview_staging');
    await target
      .db(staging)
      .collection<{ _id: number } & Record<string, unknown>>('fixtures')
      .insertMany([{ _id: 1 }, { _id: 2 }]);
    try {
      const body = '```yaml\n#preview-config\ndatabase:\n  source: staging\n```';
      const res = await apply(
        { action: 'opened', number: base + 6, labels: [P], body },
        '--staging-db',
        staging,
      );
      expect(res.code, res.stderr).toBe(0);
      expect(res.result.actions.map((a) => a.type)).toEqual(['clone-staging', 'comment']);
      expect(
        await target
          .db(`app_pr_${base + 6}`)
          .collection<{ _id: number } & Record<string, unknown>>('fixtures')
          .countDocuments(),
      ).toBe(2);
      const record = await target
        .db(`app_pr_${base + 6}`)
        .collection('snapshot_metadata')
        .findOne({ _id: 'preview' as never });
      expect(record).toMatchObject({ source: 'staging' });
    } finally {
      await target.db(staging).dropDatabase();
    }
  });

  it('--dry-run --json prints the plan with the decision, and writes nothing', async () => {
    const file = writeEvent(dir, { action: 'opened', number: base + 5, labels: [P, S] });
    const res = await runCli([
      'preview',
      'apply',
      '--event',
      file,
      '--target-uri',
      servers.targetUri,
      '--store',
      store,
      '--snapshot',
      'prod',
      '--dry-run',
      '--json',
    ]);
    expect(res.code, res.stderr).toBe(0);
    const plan = JSON.parse(res.stdout) as {
      command: string;
      operations: { kind: string }[];
      preview: { decision: { actions: { type: string }[] } };
    };
    expect(plan.command).toBe('preview apply');
    expect(plan.operations.map((o) => o.kind)).toEqual(['preview.restore', 'restore.drop-extra']);
    expect(plan.preview.decision.actions.map((a) => a.type)).toEqual(['restore-snapshot', 'comment']);
    expect(await collections(`app_pr_${base + 5}`)).toEqual([]);
  });
});
