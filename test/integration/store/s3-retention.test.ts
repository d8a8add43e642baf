import {
  CreateBucketCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planPruneOfStore } from '../../../src/pipeline/plan-snapshot-prune.js';
import { planOperations } from '../../../src/pipeline/operations/plan-operations.js';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import { S3ObjectStore } from '../../../src/store/s3/s3-object-store.js';
import { newSnapshotId } from '../../../src/store/snapshot-id.js';
import { testManifest } from '../../helpers/manifest.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const { awsEndpoint } = testServers();
const client = new S3Client({
  endpoint: awsEndpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
const bucket = uniqueDbName('dbfork-retention').toLowerCase().replace(/_/g, '-');
const url = `s3://${bucket}/prod`;
const objects = new S3ObjectStore({ client, bucket, prefix: 'prod' });

/** The fixed clock: every snapshot is taken at the time it says; prune judges the store at NOW. */
let clock = new Date(0);
const catalog = new ObjectSnapshotCatalog(objects, { now: () => clock });
const NOW = new Date('2026-11-29T16:31:00Z');
const POLICY = { last: 2, daily: 7, weekly: 4, monthly: 3 };

/** Snapshot ids by their capture time (`2026-11-29T15`), as generated. */
const idAt = new Map<string, string>();

/** Every version and delete marker under a key prefix of the bucket. */
async function versionsUnder(prefix: string): Promise<{ versions: number; markers: number }> {
  const out = await client.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: prefix }));
  return { versions: out.Versions?.length ?? 0, markers: out.DeleteMarkers?.length ?? 0 };
}

/** A lease of a writer on another host (a CronJob pod), lapsing at `expiresAt`. */
const foreignLease = (expiresAt: string): string =>
  JSON.stringify({
    owner: 'pod-7f9c:1:aa',
    host: 'pod-7f9c',
    pid: 1,
    renewedAt: NOW.toISOString(),
    expiresAt,
  });

beforeAll(async () => {
  process.env.AWS_ENDPOINT_URL_S3 = awsEndpoint;
  process.env.AWS_ACCESS_KEY_ID = 'testing';
  process.env.AWS_SECRET_ACCESS_KEY = 'testing';
  process.env.AWS_REGION = 'us-east-1';
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  await client.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  // 60 days, 2026-10-01 … 2026-11-29: one snapshot a day at 03:00 (none on 11-25), three more at the end
  const times: string[] = [];
  for (let day = 0; day < 60; day++) {
    const date = new Date(Date.UTC(2026, 9, 1 + day, 3)).toISOString().slice(0, 13);
    if (!date.startsWith('2026-11-25')) times.push(date);
  }
  times.push('2026-11-28T15', '2026-11-29T09', '2026-11-29T15');
  for (const at of times.sort()) {
    clock = new Date(`${at}:00:00Z`);
    const pending = await catalog.begin('shop');
    const data = pending.upload('data.archive');
    data.stream.end(Buffer.from(`data of ${at}`));
    await data.done;
    await catalog.commit(pending, testManifest('shop', pending.id, clock.toISOString()));
    idAt.set(at, pending.id);
  }
  // a long capture that began on 10-15 and committed last: `latest` names an old snapshot
  await objects.put('shop/latest', `${idAt.get('2026-10-15T03')}\n`);
  // two incomplete snapshots by writers on a pod: one lapsed at 16:01, one live until 16:40 (at NOW)
  for (const [at, expiresAt] of [
    ['2026-11-29T16:00', '2026-11-29T16:01:00.000Z'],
    ['2026-11-29T16:30', '2026-11-29T16:40:00.000Z'],
  ] as const) {
    const id = newSnapshotId(new Date(`${at}:00Z`));
    idAt.set(at, id);
    await objects.put(`shop/${id}/.lock`, foreignLease(expiresAt));
    await objects.put(`shop/${id}/data.archive`, 'partial');
  }
}, 240_000);
afterAll(() => client.destroy());

describe('snapshot prune on a versioned S3 bucket (moto), fixed clock, 60-day history', () => {
  it('keeps exactly the policy set and latest, and leaves no version or delete marker of pruned snapshots', async () => {
    const before = await versionsUnder(`prod/shop/${idAt.get('2026-10-01T03')}/`);
    // each committed snapshot's lease was deleted: on a versioned bucket, a noncurrent version and a marker
    expect(before).toEqual({ versions: 3, markers: 1 });

    const { plan, rows } = await planPruneOfStore(url, POLICY, { now: NOW });
    expect(plan.createdAt).toBe(NOW.toISOString());
    const result = await executePlan(plan, { registry: planOperations(), confirm: () => true });
    expect(result.error).toBeUndefined();

    // worked out by hand from the policy (an independent oracle, not applyRetention):
    const kept = [
      '2026-11-29T15', // last, daily 11-29, weekly 2026-W48, monthly 2026-11
      '2026-11-29T09', // last
      '2026-11-28T15', // daily
      '2026-11-27T03', // daily
      '2026-11-26T03', // daily
      '2026-11-24T03', // daily (no snapshot on 11-25)
      '2026-11-23T03', // daily
      '2026-11-22T03', // daily (the 7th day), weekly 2026-W47
      '2026-11-15T03', // weekly 2026-W46
      '2026-11-08T03', // weekly 2026-W45
      '2026-10-31T03', // monthly 2026-10 (no snapshot in September)
      '2026-10-15T03', // latest
    ];
    const left = await catalog.list('shop');
    const byId = new Map([...idAt].map(([at, id]) => [id, at]));
    expect(left.filter((s) => s.status === 'complete').map((s) => byId.get(s.id))).toEqual(kept);
    // the live capture stays; the lapsed one went
    expect(left.filter((s) => s.status === 'incomplete').map((s) => byId.get(s.id))).toEqual([
      '2026-11-29T16:30',
    ]);
    expect(await catalog.latest('shop')).toBe(idAt.get('2026-10-15T03'));
    expect(rows.find((r) => r.id === idAt.get('2026-10-15T03'))?.reason).toBe('latest');
    expect(rows.filter((r) => r.action === 'delete')).toHaveLength(62 - kept.length + 1);

    // pruned snapshots: not one version or delete marker left; kept ones untouched
    for (const [at, id] of idAt) {
      const left = await versionsUnder(`prod/shop/${id}/`);
      if (kept.includes(at)) expect(left, at).toEqual({ versions: 3, markers: 1 });
      else if (at === '2026-11-29T16:30') expect(left, at).toEqual({ versions: 2, markers: 0 });
      else expect(left, at).toEqual({ versions: 0, markers: 0 });
    }
  }, 240_000);

  it('the CLI prunes the same store the same way, judging leases by the system clock', async () => {
    const before = (await catalog.list('shop')).filter((s) => s.status === 'complete').map((s) => s.id);
    const args = ['snapshot', 'prune', '--store', url, '--keep-last', '2', '--keep-daily', '7'];
    args.push('--keep-weekly', '4', '--keep-monthly', '3');
    const env = {
      AWS_ENDPOINT_URL_S3: awsEndpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    };
    const dry = await runCli(['--json', ...args, '--dry-run'], { env });
    expect(dry.code, dry.stderr).toBe(0);
    // the capture live at the fixed clock (lease until 2026-11-29T16:40) has lapsed by today's
    const plan = JSON.parse(dry.stdout.trim()) as {
      operations: { params: { id: string; expect: string } }[];
    };
    expect(plan.operations.map((o) => [o.params.id, o.params.expect])).toEqual([
      [idAt.get('2026-11-29T16:30'), 'abandoned'],
    ]);
    const res = await runCli(args, { env });
    expect(res.code, res.stderr).toBe(0);
    const after = await catalog.list('shop');
    expect(after.map((s) => s.id)).toEqual(before);
    expect(await versionsUnder(`prod/shop/${idAt.get('2026-11-29T16:30')}/`)).toEqual({
      versions: 0,
      markers: 0,
    });
  }, 240_000);
});
