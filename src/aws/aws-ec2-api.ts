import {
  AttachVolumeCommand,
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  DetachVolumeCommand,
  type EC2Client,
  type Filter,
  type Snapshot,
  type Tag,
  type Volume,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import type { EbsSnapshot, EbsVolume, Ec2Api, Ec2Instance, Tags } from '../ebs/ebs-port.js';
import { ebsFailure } from './ebs-failure.js';

const tagList = (tags: Tags): Tag[] => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
const tagMap = (tags: Tag[] | undefined): Record<string, string> =>
  Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
const tagFilters = (tags: Tags): Filter[] =>
  Object.entries(tags).map(([key, value]) => ({ Name: `tag:${key}`, Values: [value] }));
const notFound = (error: unknown): boolean => /NotFound$/.test((error as { name?: string }).name ?? '');

/** {@link Ec2Api} over the AWS SDK's EC2 client. */
export class AwsEc2Api implements Ec2Api {
  readonly #client: EC2Client;

  constructor(client: EC2Client) {
    this.#client = client;
  }

  async #call<T>(call: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      throw ebsFailure(call, error);
    }
  }

  async instance(id: string): Promise<Ec2Instance | undefined> {
    let out;
    try {
      out = await this.#client.send(new DescribeInstancesCommand({ InstanceIds: [id] }));
    } catch (error) {
      if (notFound(error)) return undefined;
      throw ebsFailure('DescribeInstances', error);
    }
    const reservation = out.Reservations?.[0];
    const i = reservation?.Instances?.[0];
    if (!i) return undefined;
    const interfaces = i.NetworkInterfaces ?? [];
    return {
      id: i.InstanceId ?? id,
      availabilityZone: i.Placement?.AvailabilityZone ?? '',
      ownerId: reservation?.OwnerId ?? '',
      privateIps: [
        ...new Set(
          [
            i.PrivateIpAddress,
            ...interfaces.flatMap((n) => (n.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress)),
          ].filter((a): a is string => Boolean(a)),
        ),
      ],
      privateDnsNames: [i.PrivateDnsName].filter((n): n is string => Boolean(n)),
      volumes: (i.BlockDeviceMappings ?? [])
        .filter((m) => m.DeviceName && m.Ebs?.VolumeId)
        .map((m) => ({ device: m.DeviceName!, volumeId: m.Ebs!.VolumeId! })),
      tags: tagMap(i.Tags),
    };
  }

  async volume(id: string): Promise<EbsVolume | undefined> {
    try {
      const out = await this.#client.send(new DescribeVolumesCommand({ VolumeIds: [id] }));
      const v = out.Volumes?.[0];
      return v ? toVolume(v) : undefined;
    } catch (error) {
      if (notFound(error)) return undefined;
      throw ebsFailure('DescribeVolumes', error);
    }
  }

  async snapshotsTagged(tags: Tags): Promise<EbsSnapshot[]> {
    const found: EbsSnapshot[] = [];
    let token: string | undefined;
    do {
      const out = await this.#call('DescribeSnapshots', () =>
        this.#client.send(
          new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: tagFilters(tags), NextToken: token }),
        ),
      );
      found.push(...(out.Snapshots ?? []).map(toSnapshot));
      token = out.NextToken;
    } while (token);
    return found;
  }

  async volumesTagged(tags: Tags): Promise<EbsVolume[]> {
    const found: EbsVolume[] = [];
    let token: string | undefined;
    do {
      const out = await this.#call('DescribeVolumes', () =>
        this.#client.send(new DescribeVolumesCommand({ Filters: tagFilters(tags), NextToken: token })),
      );
      found.push(...(out.Volumes ?? []).map(toVolume));
      token = out.NextToken;
    } while (token);
    return found;
  }

  async createSnapshot(volumeId: string, description: string, tags: Tags): Promise<string> {
    const out = await this.#call('CreateSnapshot', () =>
      this.#client.send(
        new CreateSnapshotCommand({
          VolumeId: volumeId,
          Description: description,
          TagSpecifications: [{ ResourceType: 'snapshot', Tags: tagList(tags) }],
        }),
      ),
    );
    return out.SnapshotId ?? '';
  }

  async createVolume(request: {
    snapshotId: string;
    availabilityZone: string;
    volumeType?: string;
    tags: Tags;
  }): Promise<string> {
    const out = await this.#call('CreateVolume', () =>
      this.#client.send(
        new CreateVolumeCommand({
          SnapshotId: request.snapshotId,
          AvailabilityZone: request.availabilityZone,
          ...(request.volumeType ? { VolumeType: request.volumeType as VolumeType } : {}),
          TagSpecifications: [{ ResourceType: 'volume', Tags: tagList(request.tags) }],
        }),
      ),
    );
    return out.VolumeId ?? '';
  }

  async attachVolume(volumeId: string, instanceId: string, device: string): Promise<void> {
    await this.#call('AttachVolume', () =>
      this.#client.send(
        new AttachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId, Device: device }),
      ),
    );
  }

  async detachVolume(volumeId: string, instanceId: string): Promise<void> {
    await this.#call('DetachVolume', () =>
      this.#client.send(new DetachVolumeCommand({ VolumeId: volumeId, InstanceId: instanceId })),
    );
  }

  async deleteVolume(volumeId: string): Promise<void> {
    await this.#call('DeleteVolume', () =>
      this.#client.send(new DeleteVolumeCommand({ VolumeId: volumeId })),
    );
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    await this.#call('DeleteSnapshot', () =>
      this.#client.send(new DeleteSnapshotCommand({ SnapshotId: snapshotId })),
    );
  }
}

function toSnapshot(s: Snapshot): EbsSnapshot {
  return {
    id: s.SnapshotId ?? '',
    volumeId: s.VolumeId ?? '',
    state: s.State ?? 'unknown',
    startedAt: (s.StartTime ?? new Date(0)).toISOString(),
    tags: tagMap(s.Tags),
  };
}

function toVolume(v: Volume): EbsVolume {
  return {
    id: v.VolumeId ?? '',
    state: v.State ?? 'unknown',
    availabilityZone: v.AvailabilityZone ?? '',
    ...(v.SnapshotId ? { snapshotId: v.SnapshotId } : {}),
    attachments: (v.Attachments ?? []).map((a) => ({
      instanceId: a.InstanceId ?? '',
      device: a.Device ?? '',
      state: a.State ?? '',
    })),
    tags: tagMap(v.Tags),
  };
}
