import {
  CreateBucketCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const s3 = new S3Client({
  endpoint: servers.awsEndpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
afterAll(() => s3.destroy());
const env = {
  AWS_ENDPOINT_URL_S3: servers.awsEndpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};
const bucketName = (): string => uniqueDbName('dbfork-check').toLowerCase().replace(/_/g, '-');

async function bucketWithPolicy(statement?: (bucket: string) => object): Promise<string> {
  const bucket = bucketName();
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  if (statement)
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [statement(bucket)] }),
      }),
    );
  return bucket;
}

const publicRead = (bucket: string): object => ({
  Sid: 'PublicRead',
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: `arn:aws:s3:::${bucket}/*`,
});

const check = async (store: string, extra: Record<string, string> = env) => {
  const res = await runCli(['--json', 'store', 'check', '--store', store], { env: extra });
  const lines = res.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, never>);
  return {
    code: res.code,
    stderr: res.stderr,
    report: lines.find((l) => l.type === 'result')?.['result'] as never,
  };
};

describe('dbfork store check on S3 (moto stores policies without enforcing them: the check reads them)', () => {
  it('flags a bucket whose policy grants public read, exit 8 STORE_PUBLICLY_READABLE', async () => {
    const bucket = await bucketWithPolicy(publicRead);
    const { code, stderr, report } = await check(`s3://${bucket}/prod`);
    expect(code).toBe(8);
    expect(stderr).toContain('STORE_PUBLICLY_READABLE');
    expect(report).toMatchObject({
      verdict: 'public',
      findings: [{ source: 'bucket policy statement "PublicRead"', effective: true }],
    });
  });

  it('passes a private bucket and reports its versioning and default encryption', async () => {
    const bucket = await bucketWithPolicy((b) => ({
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::123456789012:role/dbfork' },
      Action: 's3:*',
      Resource: `arn:aws:s3:::${b}/*`,
    }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: bucket,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      }),
    );
    const res = await runCli(['store', 'check', '--store', `s3://${bucket}/prod`], { env });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/verdict +private/);
    expect(res.stdout).toMatch(/versioning +enabled/);
    expect(res.stdout).toMatch(/encryption +AES256/);
  });

  it('a public grant on another prefix passes; RestrictPublicBuckets neutralizes one on ours', async () => {
    const other = await bucketWithPolicy((b) => ({
      ...publicRead(b),
      Resource: `arn:aws:s3:::${b}/public/*`,
    }));
    expect((await check(`s3://${other}/prod`)).code).toBe(0);
    const blocked = await bucketWithPolicy(publicRead);
    await s3.send(
      new PutPublicAccessBlockCommand({
        Bucket: blocked,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          IgnorePublicAcls: true,
          BlockPublicPolicy: true,
          RestrictPublicBuckets: true,
        },
      }),
    );
    const { code, report } = await check(`s3://${blocked}/prod`);
    expect(code).toBe(0);
    expect(report).toMatchObject({ verdict: 'private', findings: [{ effective: false }] });
  });

  it('flags a public-read bucket ACL (AllUsers)', async () => {
    const bucket = await bucketWithPolicy();
    await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'public-read' }));
    const { code, report } = await check(`s3://${bucket}`);
    expect(code).toBe(8);
    expect(report).toMatchObject({ findings: [{ source: 'bucket ACL', grant: 'AllUsers READ' }] });
  });
});

describe('dbfork store check on GCS (fake-gcs-server, which has no bucket IAM)', () => {
  it('reports versioning and says the IAM policy is unavailable, exit 6, instead of claiming private', async () => {
    const gcs = new Storage({ apiEndpoint: servers.gcsEndpoint, projectId: 'dbfork-test' });
    const bucket = bucketName();
    await gcs.createBucket(bucket, { versioning: { enabled: true } });
    const { code, stderr, report } = await check(`gs://${bucket}/prod`, {
      STORAGE_EMULATOR_HOST: servers.gcsEndpoint,
      GOOGLE_CLOUD_PROJECT: 'dbfork-test',
    });
    expect(code).toBe(6);
    expect(stderr).toContain('STORE_CHECK_INCOMPLETE');
    expect(report).toMatchObject({ verdict: 'unknown', versioning: 'enabled', encryption: 'Google-managed' });
    expect((report as { unavailable: { what: string }[] }).unavailable.map((u) => u.what)).toContain(
      'bucket IAM policy',
    );
  });
});
