import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DescribeSnapshotsCommand,
  EC2Client,
} from '@aws-sdk/client-ec2';
import { describe, expect, it } from 'vitest';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const { awsEndpoint } = testServers();
const common = {
  endpoint: awsEndpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
};

describe('moto server', () => {
  it('stores and returns an S3 object', async () => {
    const s3 = new S3Client({ ...common, forcePathStyle: true });
    const bucket = uniqueDbName('bucket').toLowerCase().replace(/_/g, '-');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'a/b.txt', Body: 'hello moto' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'a/b.txt' }));
    expect(await got.Body?.transformToString()).toBe('hello moto');
    s3.destroy();
  });

  it('creates an EBS snapshot of a volume', async () => {
    const ec2 = new EC2Client(common);
    const volume = await ec2.send(new CreateVolumeCommand({ AvailabilityZone: 'us-east-1a', Size: 8 }));
    const snap = await ec2.send(
      new CreateSnapshotCommand({ VolumeId: volume.VolumeId!, Description: 'dbfork server test' }),
    );
    expect(snap.SnapshotId).toMatch(/^snap-/);
    const described = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [snap.SnapshotId!] }));
    expect(described.Snapshots?.[0]?.VolumeId).toBe(volume.VolumeId);
    ec2.destroy();
  });
});
