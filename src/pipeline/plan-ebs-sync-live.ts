import { UsageError } from '../errors/index.js';
import type { EbsVolume, Ec2Api } from '../ebs/ebs-port.js';
import { TAG_ROLE, TAG_STAGING, TAG_SYNC_OF } from '../ebs/ebs-tags.js';
import { planEbsSync, type EbsSyncPlanInput } from '../ebs/plan-ebs-sync.js';
import type { Plan } from '../plan/plan-schema.js';
import type { OperationContext } from '../plan/operation-kind.js';
import type { MemberLockParams } from '../ebs/sync-params.js';
import type { EbsDeps } from './operations/ebs-deps.js';
import { memberSecret, preflight } from './operations/ebs-lock-operations.js';
import { newInfraRunId } from './infra-run-id.js';

/** The hidden member's data volume: by id, or by its instance and device name. */
export type SourceVolumeRef =
  { readonly volumeId: string } | { readonly instanceId: string; readonly device: string };

export type EbsSyncLiveOptions = Omit<
  EbsSyncPlanInput,
  'runId' | 'member' | 'sourceVolume' | 'staging' | 'stagingDevice' | 'previousVolumes' | 'snapshots'
> & {
  readonly source: SourceVolumeRef;
  readonly stagingInstance: string;
  /** Default: the first of /dev/sdf … /dev/sdp the staging instance does not use. */
  readonly stagingDevice?: string;
};

/**
 * Plan an EBS sync from live state: the preflight on the hidden member (`hello`, `replSetGetConfig`,
 * with the credentials of Parameter Store), the source volume, the staging instance, its earlier
 * dbfork volumes and the source volume's snapshots (by tag), then {@link planEbsSync}.
 *
 * @throws PolicyError from the preflight (`EBS_MEMBER_IS_PRIMARY`, `EBS_MEMBER_NOT_HIDDEN`, …);
 *   UsageError `EBS_VOLUME_NOT_FOUND`, `EBS_INSTANCE_NOT_FOUND`; the adapters' errors
 */
export async function planEbsSyncLive(
  deps: EbsDeps,
  ctx: OperationContext,
  options: EbsSyncLiveOptions,
): Promise<Plan> {
  const lockParams: MemberLockParams = {
    connection: options.connection,
    secondary: options.secondary,
    credentials: options.credentials,
    host: '-',
    maxLockMs: options.maxLockMs,
  };
  const member = await preflight(deps, await memberSecret(deps, lockParams, ctx));
  const { ec2 } = deps.apis(options.connection);
  const sourceVolume = await findSourceVolume(ec2, options.source);
  const staging = await ec2.instance(options.stagingInstance);
  if (!staging)
    throw new UsageError('EBS_INSTANCE_NOT_FOUND', `no instance ${options.stagingInstance}`, {
      subject: { instance: options.stagingInstance },
    });
  const previousVolumes = (
    await ec2.volumesTagged({ [TAG_ROLE]: 'staging-data', [TAG_STAGING]: staging.id })
  ).filter((v) => v.state === 'in-use' || v.state === 'available');
  const snapshots = await ec2.snapshotsTagged({ [TAG_SYNC_OF]: sourceVolume.id });
  const used = new Set([
    ...staging.volumes.map((v) => v.device),
    ...previousVolumes.flatMap((v) => v.attachments.map((a) => a.device)),
  ]);
  const stagingDevice =
    options.stagingDevice ??
    [...'fghijklmnop'].map((c) => `/dev/sd${c}`).find((d) => !used.has(d)) ??
    '/dev/sdf';
  return planEbsSync({
    ...options,
    runId: newInfraRunId(),
    member,
    sourceVolume,
    staging,
    stagingDevice,
    previousVolumes,
    snapshots,
  });
}

async function findSourceVolume(ec2: Ec2Api, source: SourceVolumeRef): Promise<EbsVolume> {
  let id: string | undefined;
  if ('volumeId' in source) id = source.volumeId;
  else {
    const instance = await ec2.instance(source.instanceId);
    if (!instance)
      throw new UsageError('EBS_INSTANCE_NOT_FOUND', `no instance ${source.instanceId}`, {
        subject: { instance: source.instanceId },
      });
    id = instance.volumes.find((v) => v.device === source.device)?.volumeId;
  }
  const volume = id ? await ec2.volume(id) : undefined;
  if (!volume)
    throw new UsageError(
      'EBS_VOLUME_NOT_FOUND',
      `no volume ${'volumeId' in source ? source.volumeId : `at ${source.device} of ${source.instanceId}`}`,
      {
        hint: 'name the hidden member data volume with --volume, or --instance and --device',
      },
    );
  return volume;
}
