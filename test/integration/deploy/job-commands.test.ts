import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../src/deploy/kube-object.js';
import { parseDeployValues } from '../../../src/deploy/load-deploy-values.js';
import { renderManifests } from '../../../src/deploy/render-manifests.js';
import { runCli } from '../../helpers/run-cli.js';
import { ATLAS_DUMP, testServers, uniqueDbName } from '../../helpers/servers.js';

/**
 * The rendered Jobs' commands, run as they are (the image's entrypoint is `dbfork`) against the test
 * servers, with the environment their manifests give them: the producer with SOURCE_URI and the key, the
 * restore and cleanup Jobs with MONGODB_URI and no key. The one change: the producer's rules path, a
 * ConfigMap mount in the cluster, points at a temporary file here.
 */
const servers = testServers();
const dir = mkdtempSync(join(tmpdir(), 'dbfork-job-commands-'));
const production = uniqueDbName('jobs_prod');
const prefix = uniqueDbName('jobs');
const pr = 100 + Math.floor(Math.random() * 800);
const prDb = `${prefix}_pr_${pr}`;
const rulesFile = join(dir, 'rules.yaml');
const KEY = randomBytes(32).toString('base64');

const values = (source: 'seed' | 'snapshot', seedPath = '/seed/seed.archive') =>
  parseDeployValues(
    [
      {
        file: 'values.yaml',
        text: JSON.stringify({
          names: { database: `${prefix}_pr_{number}` },
          databases: { production, snapshot: `${prefix}_snapshot` },
          store: { url: join(dir, 'store'), snapshotName: 'app' },
          seed: { path: seedPath, volume: null },
        }),
      },
    ],
    { pr: { number: pr, source } },
  );

interface Container {
  args: string[];
  env: { name: string }[];
}
/** The main container of a component's Job (and its init container's args, when it has one). */
function command(objects: KubeObject[], component: string): Container & { initArgs?: string[] } {
  const o = objects.find((x) => x.metadata.labels['app.kubernetes.io/component'] === component);
  const spec = (
    o?.kind === 'CronJob' ? (o.spec as { jobTemplate: { spec: unknown } }).jobTemplate.spec : o?.spec
  ) as {
    template: { spec: { containers: Container[]; initContainers?: Container[] } };
  };
  const c = spec.template.spec.containers[0];
  if (!c) throw new Error(`no ${component} container`);
  const init = spec.template.spec.initContainers?.[0]?.args;
  return init === undefined ? c : { ...c, initArgs: init };
}

let source: MongoClient;
let target: MongoClient;
beforeAll(async () => {
  source = await MongoClient.connect(servers.sourceUri);
  target = await MongoClient.connect(servers.targetUri);
  await source
    .db(production)
    .collection<{ _id: number; email: string; plan: string }>('customers')
    .insertMany(Array.from({ length: 4 }, (_, i) => ({ _id: i, email: `c${i}@example.org`, plan: 'pro' })));
  writeFileSync(
    rulesFile,
    'rules:\n  customers:\n    fields:\n      email: { transform: hash_email }\n    keep: [_id, plan]\n',
  );
});
afterAll(async () => {
  await source.db(production).dropDatabase();
  await target.db(prDb).dropDatabase();
  await source.close();
  await target.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the rendered Jobs run for real (test servers)', () => {
  it('producer, restore and cleanup: snapshot taken anonymized, restored without the key, dropped', async () => {
    const objects = renderManifests(values('snapshot'));
    const producer = command(objects, 'snapshot-producer');
    const args = producer.args.map((a) => (a === '/etc/dbfork/rules/rules.yaml' ? rulesFile : a));
    const snap = await runCli(args, {
      env: { SOURCE_URI: servers.sourceUri, DBFORK_ANONYMIZATION_KEY: KEY },
    });
    expect(snap.code, snap.stderr).toBe(0);

    const restore = command(objects, 'snapshot-restore');
    expect(restore.env.map((e) => e.name)).toEqual(['HOME', 'MONGODB_URI']);
    const unlocked = await runCli(restore.initArgs ?? [], { env: { MONGODB_URI: servers.targetUri } });
    expect(unlocked.code, unlocked.stderr).toBe(0);
    const restored = await runCli(restore.args, {
      env: { MONGODB_URI: servers.targetUri, DBFORK_ANONYMIZATION_KEY: '' },
    });
    expect(restored.code, restored.stderr).toBe(0);
    const docs = await target.db(prDb).collection('customers').find().sort({ _id: 1 }).toArray();
    expect(docs).toHaveLength(4);
    expect(docs[0]?.plan).toBe('pro');
    expect(docs[0]?.email).not.toBe('c0@example.org'); // anonymized by the producer, not by the restore

    const cleanup = command(objects, 'database-cleanup');
    const dropped = await runCli(cleanup.args, { env: { MONGODB_URI: servers.targetUri } });
    expect(dropped.code, dropped.stderr).toBe(0);
    expect((await target.db(prDb).listCollections().toArray()).map((c) => c.name)).toEqual([]);
  });

  it('locked: the lock Job writes the lock record, the cleanup Job then keeps the database; unlocking releases it', async () => {
    await target
      .db(prDb)
      .collection('orders')
      .insertOne({ _id: 1 } as never);
    const locked = renderManifests({ ...values('seed'), pr: { ...values('seed').pr, locked: true } });
    expect(locked.some((o) => o.metadata.labels['app.kubernetes.io/component'] === 'snapshot-restore')).toBe(
      false,
    );
    const lock = await runCli(command(locked, 'database-lock').args, {
      env: { MONGODB_URI: servers.targetUri },
    });
    expect(lock.code, lock.stderr).toBe(0);
    expect(
      await target
        .db(prDb)
        .collection('snapshot_metadata')
        .findOne({ _id: 'lock' as never }),
    ).toMatchObject({
      locked: true,
      pr,
      label: 'persist-db',
    });
    const cleanup = command(locked, 'database-cleanup');
    const kept = await runCli(cleanup.args, { env: { MONGODB_URI: servers.targetUri } });
    expect(kept.code, kept.stderr).toBe(0);
    expect(kept.stdout).toContain('"locked":true');
    expect(await target.db(prDb).collection('orders').countDocuments()).toBe(1);

    // persist-db removed: the restore Job's init container removes the record; cleanup drops then.
    const unlock = command(renderManifests(values('seed')), 'snapshot-restore').initArgs ?? [];
    expect((await runCli(unlock, { env: { MONGODB_URI: servers.targetUri } })).code).toBe(0);
    const dropped = await runCli(cleanup.args, { env: { MONGODB_URI: servers.targetUri } });
    expect(dropped.code, dropped.stderr).toBe(0);
    expect(await target.db(prDb).collection('orders').countDocuments()).toBe(0);
  });

  it('the restore Job of a raw snapshot is refused: it holds no key and no --no-anonymize', async () => {
    const raw = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      production,
      '--name',
      'app',
      '--store',
      join(dir, 'store'),
      '--no-anonymize',
    ]);
    expect(raw.code, raw.stderr).toBe(0);
    const restore = command(renderManifests(values('snapshot')), 'snapshot-restore');
    const refused = await runCli(restore.args, { env: { MONGODB_URI: servers.targetUri } });
    expect(refused.code).toBe(8);
    expect(refused.stderr).toContain('ANONYMIZATION_REQUIRED');
    expect(await target.db(prDb).collection('customers').countDocuments()).toBe(0);
  });

  it('the restore Job of a seed source restores the seed dump as it is', async () => {
    const restore = command(
      renderManifests(values('seed', join(ATLAS_DUMP, 'sample_analytics'))),
      'snapshot-restore',
    );
    const seeded = await runCli(restore.args, { env: { MONGODB_URI: servers.targetUri } });
    expect(seeded.code, seeded.stderr).toBe(0);
    const names = (await target.db(prDb).listCollections().toArray()).map((c) => c.name).sort();
    expect(names).toEqual(expect.arrayContaining(['accounts', 'customers']));
    expect(await target.db(prDb).collection('accounts').countDocuments()).toBeGreaterThan(0);
  });
});
