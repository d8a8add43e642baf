import { PolicyError, TargetError } from '../../errors/index.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import type { EbsSnapshot, EbsVolume, Ec2Api } from '../../ebs/ebs-port.js';
import { TAG_ROLE, TAG_RUN, TAG_STAGING, TAG_SYNC_OF } from '../../ebs/ebs-tags.js';
import { newestCompleted } from '../../ebs/snapshot-retention.js';
import { Ec2StepParamsSchema, type Ec2StepParams } from '../../ebs/sync-params.js';
import { sleepOf, type EbsDeps } from './ebs-deps.js';

type Kind = OperationKind<Ec2StepParams>;
const req = (p: Ec2StepParams) => p.request as Record<string, unknown>;
const str = (value: unknown): string => String(value ?? '');

/** The snapshot of a run, found by its tag. */
async function runSnapshot(ec2: Ec2Api, runId: string): Promise<EbsSnapshot | undefined> {
  return (await ec2.snapshotsTagged({ [TAG_RUN]: runId, [TAG_ROLE]: 'snapshot' }))[0];
}

/** The staging volume of a run, found by its tags. */
export async function runVolume(ec2: Ec2Api, runId: string): Promise<EbsVolume | undefined> {
  return (await ec2.volumesTagged({ [TAG_RUN]: runId, [TAG_ROLE]: 'staging-data' })).find(
    (v) => v.state !== 'deleting' && v.state !== 'deleted',
  );
}

function missing(what: string, runId: string): TargetError {
  return new TargetError('EBS_RUN_RESOURCE_MISSING', `the ${what} of run ${runId} is gone`, {
    subject: { runId },
    hint: 'plan the sync again',
  });
}

/**
 * The EC2 kinds of an EBS sync. Ids EC2 assigns at run time (the snapshot, the new volume) are found
 * again by the run's tags, which also makes each step resumable: a step whose resource exists is done.
 */
export function ebsEc2Operations(deps: EbsDeps): Kind[] {
  const ec2 = (p: Ec2StepParams) => deps.apis(p.connection).ec2;
  const sleep = sleepOf(deps);
  const createSnapshot: Kind = {
    kind: 'ebs.create-snapshot',
    params: Ec2StepParamsSchema,
    isDone: async (p) => (await runSnapshot(ec2(p), p.runId)) !== undefined,
    async run(p) {
      const r = req(p);
      const id = await ec2(p).createSnapshot(
        str(r.VolumeId),
        str(r.Description),
        r.Tags as Record<string, string>,
      );
      return { snapshotId: id };
    },
  };
  const awaitSnapshot: Kind = {
    kind: 'ebs.await-snapshot',
    params: Ec2StepParamsSchema,
    async ready(p) {
      const snapshot = await runSnapshot(ec2(p), p.runId);
      if (!snapshot) throw missing('snapshot', p.runId);
      if (snapshot.state === 'error')
        throw new TargetError('EBS_SNAPSHOT_FAILED', `the snapshot ${snapshot.id} failed`, {
          subject: { snapshot: snapshot.id },
          hint: 'run the sync again: retention removes the failed snapshot',
        });
      return snapshot.state === 'completed';
    },
    timeoutError: (p, waitedMs) =>
      new TargetError(
        'EBS_WAIT_TIMEOUT',
        `the snapshot of run ${p.runId} did not complete within ${waitedMs} ms`,
        {
          hint: 'a rerun of the same plan (dbfork apply) resumes; or give a longer --timeout',
        },
      ),
    async run(p) {
      return { snapshotId: (await runSnapshot(ec2(p), p.runId))?.id ?? null };
    },
  };
  const createVolume: Kind = {
    kind: 'ebs.create-volume',
    params: Ec2StepParamsSchema,
    isDone: async (p) => (await runVolume(ec2(p), p.runId)) !== undefined,
    async run(p) {
      const r = req(p);
      const snapshot = await runSnapshot(ec2(p), p.runId);
      if (!snapshot) throw missing('snapshot', p.runId);
      const id = await ec2(p).createVolume({
        snapshotId: snapshot.id,
        availabilityZone: str(r.AvailabilityZone),
        ...(typeof r.VolumeType === 'string' ? { volumeType: r.VolumeType } : {}),
        tags: r.Tags as Record<string, string>,
      });
      return { volumeId: id, snapshotId: snapshot.id };
    },
  };
  const attached = (v: EbsVolume | undefined, instance: string) =>
    v?.attachments.some(
      (a) => a.instanceId === instance && a.state !== 'detached' && a.state !== 'detaching',
    );
  const attachVolume: Kind = {
    kind: 'ebs.attach-volume',
    params: Ec2StepParamsSchema,
    isDone: async (p) => Boolean(attached(await runVolume(ec2(p), p.runId), str(req(p).InstanceId))),
    async ready(p) {
      const volume = await runVolume(ec2(p), p.runId);
      if (!volume) throw missing('volume', p.runId);
      if (volume.state === 'error')
        throw new TargetError('EBS_VOLUME_FAILED', `the volume ${volume.id} failed`, {
          subject: { volume: volume.id },
        });
      return volume.state === 'available';
    },
    timeoutError: (p, waitedMs) =>
      new TargetError(
        'EBS_WAIT_TIMEOUT',
        `the volume of run ${p.runId} was not available within ${waitedMs} ms`,
        {
          hint: 'a rerun of the same plan (dbfork apply) resumes; or give a longer --timeout',
        },
      ),
    async run(p) {
      const volume = await runVolume(ec2(p), p.runId);
      if (!volume) throw missing('volume', p.runId);
      await ec2(p).attachVolume(volume.id, str(req(p).InstanceId), str(req(p).Device));
      return { volumeId: volume.id, device: str(req(p).Device) };
    },
  };
  const retireVolume: Kind = {
    kind: 'ebs.retire-volume',
    params: Ec2StepParamsSchema,
    async check(p) {
      const volume = await ec2(p).volume(str(req(p).VolumeId));
      if (volume) assertOurs(volume, str(req(p).InstanceId));
    },
    isDone: async (p) => (await ec2(p).volume(str(req(p).VolumeId))) === undefined,
    async run(p) {
      const id = str(req(p).VolumeId);
      const instance = str(req(p).InstanceId);
      let volume = await ec2(p).volume(id);
      if (!volume) return { deleted: id };
      assertOurs(volume, instance);
      if (attached(volume, instance)) await ec2(p).detachVolume(id, instance);
      for (let i = 0; i < 300 && volume && volume.state !== 'available'; i++) {
        await sleep(2000);
        volume = await ec2(p).volume(id);
      }
      await ec2(p).deleteVolume(id);
      return { deleted: id };
    },
  };
  const deleteSnapshot: Kind = {
    kind: 'ebs.delete-snapshot',
    params: Ec2StepParamsSchema,
    async check(p) {
      await assertNotNewest(ec2(p), p);
    },
    isDone: async (p) => !(await group(ec2(p), p)).some((s) => s.id === str(req(p).SnapshotId)),
    async run(p) {
      await assertNotNewest(ec2(p), p);
      await ec2(p).deleteSnapshot(str(req(p).SnapshotId));
      return { deleted: str(req(p).SnapshotId) };
    },
  };
  return [createSnapshot, awaitSnapshot, createVolume, attachVolume, retireVolume, deleteSnapshot];
}

/** The snapshots retention groups with this one (same `dbfork:sync-of`). */
function group(ec2: Ec2Api, p: Ec2StepParams): Promise<EbsSnapshot[]> {
  const tags = (req(p).Tags ?? {}) as Record<string, string>;
  return ec2.snapshotsTagged({ [TAG_SYNC_OF]: str(tags[TAG_SYNC_OF]) });
}

/** @throws PolicyError `EBS_SNAPSHOT_NEWEST`: the newest completed snapshot is never deleted */
async function assertNotNewest(ec2: Ec2Api, p: Ec2StepParams): Promise<void> {
  const id = str(req(p).SnapshotId);
  if (newestCompleted(await group(ec2, p))?.id === id)
    throw new PolicyError('EBS_SNAPSHOT_NEWEST', `${id} is the newest completed snapshot: never deleted`, {
      subject: { snapshot: id },
      hint: 'plan again: retention keeps the newest completed snapshot',
      labels: ['noWritesPerformed'],
    });
}

/** @throws PolicyError `EBS_VOLUME_NOT_OURS` for a volume dbfork did not make for this instance */
function assertOurs(volume: EbsVolume, instance: string): void {
  if (volume.tags[TAG_ROLE] === 'staging-data' && volume.tags[TAG_STAGING] === instance) return;
  throw new PolicyError('EBS_VOLUME_NOT_OURS', `${volume.id} is not a dbfork staging volume of ${instance}`, {
    subject: { volume: volume.id },
    hint: 'dbfork detaches and deletes only the volumes it tagged for this staging instance',
    labels: ['noWritesPerformed'],
  });
}
