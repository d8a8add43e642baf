import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const AWS = {
  AWS_ENDPOINT_URL_S3: servers.awsEndpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};

describe('snapshots in S3 (moto): create, list, verify, restore', () => {
  const src = uniqueDbName('s3src');
  const bucket = uniqueDbName('dbfork-snap').toLowerCase().replace(/_/g, '-');
  const store = `s3://${bucket}/prod`;
  const s3 = new S3Client({
    endpoint: servers.awsEndpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const source = new MongoClient(servers.sourceUri);
  const target = new MongoClient(servers.targetUri);
  const targetDb = `${uniqueDbName('s3dst')}_pr_1`;

  beforeAll(async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    loadAtlasCollections(servers, servers.sourceUri, src, [
      ['sample_analytics', 'customers'],
      ['sample_mflix', 'users'],
    ]);
  });
  afterAll(async () => {
    await source.db(src).dropDatabase();
    await target.db(targetDb).dropDatabase();
    await Promise.all([source.close(), target.close()]);
    s3.destroy();
  });

  it('a gzipped snapshot in S3 restores into the target byte for byte equal to the source', async () => {
    const created = await runCli(
      [
        'snapshot',
        'create',
        '--uri',
        servers.sourceUri,
        '--db',
        src,
        '--name',
        'shop',
        '--store',
        store,
        '--gzip',
        '--no-anonymize',
      ],
      { env: AWS },
    );
    expect(created.code, created.stderr).toBe(0);
    const keys =
      (await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'prod/shop/' }))).Contents?.map(
        (o) => o.Key,
      ) ?? [];
    expect(keys.some((k) => k?.endsWith('/manifest.json'))).toBe(true);
    expect(keys.some((k) => k?.endsWith('/data.archive.gz'))).toBe(true);
    expect(keys).toContain('prod/shop/latest');

    const list = await runCli(['--json', 'snapshot', 'list', '--store', store], { env: AWS });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain('"status":"complete"');
    const verify = await runCli(['snapshot', 'verify', 'shop@latest', '--store', store], { env: AWS });
    expect(verify.code, verify.stderr).toBe(0);

    const restored = await runCli(
      [
        'restore',
        '--snapshot',
        'shop@latest',
        '--store',
        store,
        '--to',
        servers.targetUri,
        '--db',
        targetDb,
        '--no-anonymize',
      ],
      { env: AWS },
    );
    expect(restored.code, restored.stderr).toBe(0);
    for (const coll of ['customers', 'users']) {
      const [want, got] = await Promise.all([rawById(source, src, coll), rawById(target, targetDb, coll)]);
      expect(got.size).toBe(want.size);
      for (const [id, bytes] of want) expect(got.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
    }
  });

  it('a store URL with an unknown sse option is a usage error', async () => {
    const res = await runCli(['snapshot', 'list', '--store', `s3://${bucket}/x?sse=rot13`], { env: AWS });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('STORE_BAD_URL');
  });
});
