import type { Plan, PlanOperation, WaitFor } from '../plan/plan-schema.js';
import { newPlan } from '../plan/new-plan.js';
import type { ConnectionRef } from '../plan/secret-ref.js';
import type { EbsConnection } from './ebs-connection.js';
import type { EbsSnapshot, EbsVolume, Ec2Instance } from './ebs-port.js';
import { snapshotTags, TAG_RUN, TAG_SYNC_OF, volumeTags } from './ebs-tags.js';
import type { HiddenMember } from './member-preflight.js';
import { snapshotsToPrune } from './snapshot-retention.js';
import { checkStagingInstance } from './staging-guard.js';
import type { RestorePhase } from './ssm-document-names.js';
import type { MemberLockParams, SsmCommandParams } from './sync-params.js';

/** How the staging host restores: the `mongo-restore` document's parameters besides the phase. */
export interface RestoreSettings {
  /** Where mongod's dbpath lives on the staging host (a link swapped to the new volume). */
  readonly dataLink: string;
  /** The dbpath's folder inside the snapshot volume (`.` for its root). */
  readonly dbPathOnVolume: string;
  /** The port of the maintenance mongod (standalone, bound to 127.0.0.1). */
  readonly maintenancePort: number;
  /** The systemd unit of the staging mongod. */
  readonly service: string;
  /** How the staging host runs dbfork for the anonymize phase (default `dbfork` on its PATH). */
  readonly dbforkCommand?: string;
}

/** Anonymization on the staging host, or the deliberate opt-out. */
export type SyncAnonymization =
  | { readonly rulesBase64: string; readonly keyParameter: string; readonly rulesDigest: string }
  | { readonly none: true };

/** What the planner needs: the live state read before planning and the user's choices. */
export interface EbsSyncPlanInput {
  readonly connection: EbsConnection;
  readonly runId: string;
  readonly secondary: ConnectionRef;
  readonly credentials: MemberLockParams['credentials'];
  readonly member: HiddenMember;
  /** The hidden member's data volume (the snapshot's source) and, when known, its instance. */
  readonly sourceVolume: EbsVolume;
  readonly staging: Ec2Instance;
  /** The device name the new volume is attached as (one the staging instance does not use). */
  readonly stagingDevice: string;
  /** The staging instance's earlier dbfork data volumes: retired after a successful run. */
  readonly previousVolumes: readonly EbsVolume[];
  /** Snapshots of the source volume found by tag (`dbfork:sync-of`). */
  readonly snapshots: readonly EbsSnapshot[];
  /** Completed snapshots kept, this run's included. */
  readonly keep: number;
  readonly anonymization: SyncAnonymization;
  readonly restore: RestoreSettings;
  readonly volumeType?: string;
  readonly maxLockMs: number;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
  readonly productionTag: string;
  readonly confirm?: string;
  readonly now?: Date;
}

/**
 * Plan an EBS sync as data: lock the hidden member, snapshot its volume, unlock (always run), wait for
 * the snapshot, create a volume from it in the staging instance's zone, attach it, restore through the
 * `mongo-restore` document (maintenance mongod, `local` removed), anonymize in place, open mongod to
 * clients, retire the previous staging volumes, prune old snapshots. The staging guard's verdict is
 * recorded; a refused plan never runs. Pure.
 */
export function planEbsSync(input: EbsSyncPlanInput): Plan {
  const { connection, runId, staging } = input;
  const anonymized = !('none' in input.anonymization);
  const wait: WaitFor = {
    timeoutMs: input.timeoutMs,
    intervalMs: input.pollIntervalMs,
    maxIntervalMs: input.pollIntervalMs * 4,
  };
  const step = (id: string, kind: string, description: string, request: Record<string, unknown>) => ({
    id,
    kind,
    description,
    params: { connection, runId, request } as PlanOperation['params'],
  });
  const lock: MemberLockParams = {
    connection,
    secondary: input.secondary,
    credentials: input.credentials,
    host: input.member.host,
    maxLockMs: input.maxLockMs,
  };
  const operations: PlanOperation[] = [
    {
      id: 'lock',
      kind: 'ebs.lock',
      description: `fsyncLock the hidden member ${input.member.host} (a watchdog unlocks it after ${input.maxLockMs} ms)`,
      aspects: [],
      params: lock,
    },
    {
      ...step(
        'snapshot',
        'ebs.create-snapshot',
        `snapshot ${input.sourceVolume.id}, tagged ${TAG_RUN}=${runId}`,
        {
          VolumeId: input.sourceVolume.id,
          Description: `dbfork sync ${runId} of ${input.member.setName}/${input.member.host}`,
          Tags: snapshotTags(runId, input.sourceVolume.id),
        },
      ),
      aspects: ['costs-money', 'idempotent'],
    },
    {
      id: 'unlock',
      kind: 'ebs.unlock',
      description: `fsyncUnlock ${input.member.host} and stop the watchdog`,
      aspects: ['idempotent'],
      params: lock,
      alwaysRun: true,
    },
    {
      ...step(
        'await-snapshot',
        'ebs.await-snapshot',
        `wait until the snapshot of run ${runId} is completed`,
        {
          VolumeId: input.sourceVolume.id,
        },
      ),
      aspects: ['idempotent'],
      waitFor: wait,
    },
    {
      ...step(
        'create-volume',
        'ebs.create-volume',
        `create a volume from the snapshot in ${staging.availabilityZone}`,
        {
          AvailabilityZone: staging.availabilityZone,
          ...(input.volumeType ? { VolumeType: input.volumeType } : {}),
          Tags: volumeTags(runId, staging.id, anonymized),
        },
      ),
      aspects: ['costs-money', 'idempotent'],
    },
    {
      ...step('attach-volume', 'ebs.attach-volume', `attach it to ${staging.id} as ${input.stagingDevice}`, {
        InstanceId: staging.id,
        Device: input.stagingDevice,
      }),
      aspects: ['idempotent'],
      waitFor: wait,
    },
    command(
      input,
      'restore',
      'stop mongod, mount the volume, start a maintenance mongod on 127.0.0.1, drop local',
    ),
    ...(anonymized
      ? [command(input, 'anonymize', 'anonymize every database in place on the maintenance mongod')]
      : []),
    command(input, 'open', 'stop the maintenance mongod, start mongod for clients'),
    ...input.previousVolumes.map((v) => ({
      ...step(
        `retire.${v.id}`,
        'ebs.retire-volume',
        `detach and delete the previous staging volume ${v.id}`,
        {
          VolumeId: v.id,
          InstanceId: staging.id,
        },
      ),
      aspects: ['destructive', 'needs-confirmation', 'idempotent'] as PlanOperation['aspects'],
    })),
    ...snapshotsToPrune(input.snapshots, input.keep).map((id) => ({
      ...step(
        `prune.${id}`,
        'ebs.delete-snapshot',
        `delete the old snapshot ${id} (retention: keep ${input.keep})`,
        {
          SnapshotId: id,
          Tags: { [TAG_SYNC_OF]: input.sourceVolume.id },
        },
      ),
      aspects: ['destructive', 'idempotent'] as PlanOperation['aspects'],
    })),
  ];
  const guard = checkStagingInstance({
    staging,
    memberHosts: input.member.memberHosts,
    productionInstances: input.sourceVolume.attachments.map((a) => a.instanceId),
    productionTag: input.productionTag,
    ...(input.confirm === undefined ? {} : { confirm: input.confirm }),
  });
  return newPlan({
    command: 'ebs sync',
    summary: `sync ${input.member.setName}/${input.member.host} (${input.sourceVolume.id}) to ${staging.id}${anonymized ? ', anonymized' : ', raw'}`,
    operations,
    guard,
    preview: {
      runId,
      region: connection.region,
      account: staging.ownerId,
      member: input.member.host,
      setName: input.member.setName,
      sourceVolume: input.sourceVolume.id,
      stagingInstance: staging.id,
      stagingZone: staging.availabilityZone,
      previousVolumes: input.previousVolumes.map((v) => v.id),
      snapshots: input.snapshots.map((s) => s.id),
      credentialParameters: input.credentials ? [input.credentials.username, input.credentials.password] : [],
      keyParameter: 'none' in input.anonymization ? null : input.anonymization.keyParameter,
      anonymized,
    },
    ...(input.now ? { now: input.now } : {}),
  });
}

/** One `mongo-restore` phase as an `ebs.command` operation. */
function command(input: EbsSyncPlanInput, phase: RestorePhase, what: string): PlanOperation {
  const r = input.restore;
  const parameters: Record<string, string> = {
    Phase: phase,
    RunId: input.runId,
    Device: input.stagingDevice,
    DataLink: r.dataLink,
    DbPathOnVolume: r.dbPathOnVolume,
    MaintenancePort: String(r.maintenancePort),
    Service: r.service,
  };
  if (phase === 'open') parameters.RequireAnonymized = String(!('none' in input.anonymization));
  if (phase === 'anonymize' && !('none' in input.anonymization)) {
    parameters.RulesBase64 = input.anonymization.rulesBase64;
    parameters.KeyParameter = input.anonymization.keyParameter;
    if (r.dbforkCommand) parameters.DbforkCommand = r.dbforkCommand;
  }
  const params: SsmCommandParams = {
    connection: input.connection,
    runId: input.runId,
    document: 'mongo-restore',
    instanceId: input.staging.id,
    parameters,
    withRunVolume: phase === 'restore',
    timeoutMs: input.timeoutMs,
    intervalMs: input.pollIntervalMs,
  };
  return {
    id: phase,
    kind: 'ebs.command',
    description: `mongo-restore ${phase} on ${input.staging.id}: ${what}`,
    aspects: phase === 'restore' ? ['destructive', 'needs-confirmation'] : [],
    params,
  };
}
