import {
  AttachVolumeCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  EC2Client,
  RunInstancesCommand,
  type Tag,
} from '@aws-sdk/client-ec2';
import { ListCommandsCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { openEbsApis } from '../../../src/aws/open-ebs-apis.js';
import { executePlan } from '../../../src/plan/execute-plan.js';
import { OperationRegistry } from '../../../src/plan/operation-registry.js';
import type { Plan } from '../../../src/plan/plan-schema.js';
import { createSecretResolver } from '../../../src/plan/secret-resolver.js';
import { NO_PROGRESS } from '../../../src/core/progress.js';
import type { EbsDeps } from '../../../src/pipeline/operations/ebs-deps.js';
import { ebsOperations } from '../../../src/pipeline/operations/ebs-operations.js';
import { planEbsSyncLive, type EbsSyncLiveOptions } from '../../../src/pipeline/plan-ebs-sync-live.js';
import { recordingMember, recordingWatchdog } from '../../helpers/ebs-fakes.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers } from '../../helpers/servers.js';

const REGION = 'eu-west-1';
const AWS_ENV = {
  AWS_ENDPOINT_URL: testServers().awsEndpoint,
  AWS_REGION: REGION,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
Object.assign(process.env, AWS_ENV);
const client = {
  region: REGION,
  endpoint: AWS_ENV.AWS_ENDPOINT_URL,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};
const ec2 = new EC2Client(client);
const ssm = new SSMClient(client);
const tags = (list: Tag[] | undefined) => Object.fromEntries((list ?? []).map((t) => [t.Key, t.Value]));
const id = randomBytes(3).toString('hex');
const PARAMS = { username: `/dbfork-test-${id}/admin`, password: `/dbfork-test-${id}/admin/password` };

async function instance(zone: string, environment: string): Promise<string> {
  const out = await ec2.send(
    new RunInstancesCommand({
      ImageId: 'ami-12c6146b',
      MinCount: 1,
      MaxCount: 1,
      Placement: { AvailabilityZone: zone },
      TagSpecifications: [{ ResourceType: 'instance', Tags: [{ Key: 'environment', Value: environment }] }],
    }),
  );
  return out.Instances![0]!.InstanceId!;
}

describe('ebs sync against moto (EC2 and SSM; the member at a seam: FerretDB has no replica set)', () => {
  let hidden: string;
  let staging: string;
  let dataVolume: string;
  const log: string[] = [];
  const member = recordingMember(log);
  const deps: EbsDeps = {
    apis: (c) => openEbsApis(c),
    admin: member.admin,
    watchdog: recordingWatchdog(log),
    sleep: async () => undefined,
  };
  const registry = new OperationRegistry();
  for (const kind of ebsOperations(deps)) registry.register(kind);
  const options = (): EbsSyncLiveOptions => ({
    connection: { region: REGION },
    secondary: { uri: 'mongodb://10.0.2.12:27017/' },
    credentials: PARAMS,
    source: { instanceId: hidden, device: '/dev/sdf' },
    stagingInstance: staging,
    keep: 2,
    anonymization: {
      rulesBase64: Buffer.from('rules: {}\n').toString('base64'),
      keyParameter: '/dbfork/key',
      rulesDigest: 'd',
    },
    restore: {
      dataLink: '/var/lib/mongodb',
      dbPathOnVolume: 'db',
      maintenancePort: 27117,
      service: 'mongod',
    },
    maxLockMs: 60_000,
    pollIntervalMs: 10,
    timeoutMs: 10_000,
    productionTag: 'environment=production',
    confirm: staging,
  });
  const ctx = { secrets: createSecretResolver(), onProgress: NO_PROGRESS };
  const sync = async (): Promise<Plan> => {
    const plan = await planEbsSyncLive(deps, ctx, options());
    const result = await executePlan(plan, { registry, confirm: () => true });
    expect(result.error?.message).toBeUndefined();
    expect(result.ok).toBe(true);
    return plan;
  };
  const runSnapshots = async () =>
    (
      await ec2.send(
        new DescribeSnapshotsCommand({
          OwnerIds: ['self'],
          Filters: [{ Name: 'tag:dbfork:sync-of', Values: [dataVolume] }],
        }),
      )
    ).Snapshots ?? [];

  beforeAll(async () => {
    hidden = await instance(`${REGION}b`, 'production');
    staging = await instance(`${REGION}a`, 'staging');
    dataVolume = (await ec2.send(new CreateVolumeCommand({ AvailabilityZone: `${REGION}b`, Size: 20 })))
      .VolumeId!;
    await ec2.send(new AttachVolumeCommand({ VolumeId: dataVolume, InstanceId: hidden, Device: '/dev/sdf' }));
    await ssm.send(
      new PutParameterCommand({ Name: PARAMS.username, Value: 'backup-user', Type: 'SecureString' }),
    );
    await ssm.send(
      new PutParameterCommand({
        Name: PARAMS.password,
        Value: 'pw-from-parameter-store',
        Type: 'SecureString',
      }),
    );
  });

  it('ebs install-documents creates the three documents, then finds them current', async () => {
    const first = await runCli(['ebs', 'install-documents', '--region', REGION, '--json'], { env: AWS_ENV });
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const again = await runCli(['ebs', 'install-documents', '--region', REGION, '--json'], { env: AWS_ENV });
    expect(again.code).toBe(0);
    const result = JSON.parse(
      again.stdout
        .trim()
        .split('\n')
        .find((l) => l.includes('"type":"result"'))!,
    ) as {
      result: { operations: { id: string; status: string; reason?: string }[] };
    };
    expect(result.result.operations.map((o) => [o.id, o.status])).toEqual([
      ['install.mongo-snapshot', 'skipped'],
      ['install.mongo-restore', 'skipped'],
      ['install.replica-init', 'skipped'],
    ]);
  }, 60_000);

  it('snapshot, volume and attachment with the right tags, and the restore commands with the right parameters', async () => {
    const plan = await sync();
    const runId = String(plan.preview!.runId);
    expect(log.slice(0, 3)).toEqual(['watchdog-start', 'fsyncLock', 'fsyncUnlock']);
    expect(member.uris[0]).toContain('backup-user:pw-from-parameter-store@10.0.2.12:27017');
    expect(JSON.stringify(plan)).not.toContain('pw-from-parameter-store');

    const [snapshot] = await runSnapshots();
    expect(snapshot).toMatchObject({ VolumeId: dataVolume, State: 'completed' });
    expect(tags(snapshot!.Tags)).toMatchObject({
      'dbfork:run': runId,
      'dbfork:role': 'snapshot',
      'dbfork:sync-of': dataVolume,
      'dbfork:managed-by': 'dbfork',
    });
    const volumes = (
      await ec2.send(new DescribeVolumesCommand({ Filters: [{ Name: 'tag:dbfork:run', Values: [runId] }] }))
    ).Volumes!;
    expect(volumes).toHaveLength(1);
    const volume = volumes[0]!;
    expect(volume).toMatchObject({ AvailabilityZone: `${REGION}a`, SnapshotId: snapshot!.SnapshotId });
    expect(tags(volume.Tags)).toMatchObject({
      'dbfork:role': 'staging-data',
      'dbfork:staging-instance': staging,
      'dbfork:anonymized': 'true',
    });
    expect(volume.Attachments).toEqual([
      expect.objectContaining({ InstanceId: staging, Device: '/dev/sdf', State: 'attached' }),
    ]);

    const commands = (await ssm.send(new ListCommandsCommand({ InstanceId: staging }))).Commands!;
    const sent = commands
      .filter((c) => c.Parameters?.RunId?.[0] === runId)
      .sort((a, b) => a.RequestedDateTime!.getTime() - b.RequestedDateTime!.getTime());
    expect(sent.map((c) => [c.DocumentName, c.Parameters!.Phase![0]])).toEqual([
      ['mongo-restore', 'restore'],
      ['mongo-restore', 'anonymize'],
      ['mongo-restore', 'open'],
    ]);
    expect(sent[0]!.Parameters).toMatchObject({
      VolumeId: [volume.VolumeId],
      Device: ['/dev/sdf'],
      DataLink: ['/var/lib/mongodb'],
      DbPathOnVolume: ['db'],
      MaintenancePort: ['27117'],
      Service: ['mongod'],
    });
    expect(sent[1]!.Parameters).toMatchObject({
      KeyParameter: ['/dbfork/key'],
      RulesBase64: [expect.any(String)],
    });
    expect(sent[2]!.Parameters).toMatchObject({ RequireAnonymized: ['true'] });
  }, 60_000);

  it('the next syncs retire the previous staging volume, and retention removes exactly the oldest snapshot', async () => {
    const first = (await runSnapshots()).map((s) => s.SnapshotId);
    const second = await sync();
    const previous = second.preview!.previousVolumes as string[];
    expect(previous).toHaveLength(1);
    expect(second.operations.filter((o) => o.kind === 'ebs.delete-snapshot')).toEqual([]);
    const gone = await ec2.send(
      new DescribeVolumesCommand({ Filters: [{ Name: 'tag:dbfork:staging-instance', Values: [staging] }] }),
    );
    expect(gone.Volumes!.map((v) => v.VolumeId)).not.toContain(previous[0]);
    expect(
      gone.Volumes!.find((v) => tags(v.Tags)['dbfork:run'] === second.preview!.runId)?.Attachments?.[0]
        ?.Device,
    ).toBe('/dev/sdg');
    expect(await runSnapshots()).toHaveLength(2);

    const third = await sync();
    expect(third.operations.filter((o) => o.kind === 'ebs.delete-snapshot').map((o) => o.id)).toEqual([
      `prune.${first[0]}`,
    ]);
    const left = (await runSnapshots()).map((s) => s.SnapshotId);
    expect(left).toHaveLength(2);
    expect(left).not.toContain(first[0]);
  }, 60_000);
});
