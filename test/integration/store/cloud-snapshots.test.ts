import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();

/** One cloud: its store URL scheme, the environment the CLI gets, and how to create and list a bucket. */
interface Cloud {
  readonly scheme: 's3' | 'gs';
  readonly env: Record<string, string>;
  createBucket(name: string): Promise<void>;
  keys(bucket: string, prefix: string): Promise<string[]>;
  close(): void;
}

const s3 = new S3Client({
  endpoint: servers.awsEndpoint,
  region: 'us-east-1',
  forcePathStyle: true,
  credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
});
const gcs = new Storage({ apiEndpoint: servers.gcsEndpoint, projectId: 'dbfork-test' });

const clouds: Cloud[] = [
  {
    scheme: 's3',
    env: {
      AWS_ENDPOINT_URL_S3: servers.awsEndpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
    },
    createBucket: async (name) => void (await s3.send(new CreateBucketCommand({ Bucket: name }))),
    keys: async (bucket, prefix) =>
      ((await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }))).Contents ?? []).map(
        (o) => o.Key ?? '',
      ),
    close: () => s3.destroy(),
  },
  {
    scheme: 'gs',
    env: { STORAGE_EMULATOR_HOST: servers.gcsEndpoint, GOOGLE_CLOUD_PROJECT: 'dbfork-test' },
    createBucket: async (name) => void (await gcs.createBucket(name)),
    keys: async (bucket, prefix) => (await gcs.bucket(bucket).getFiles({ prefix }))[0].map((f) => f.name),
    close: () => undefined,
  },
];

describe.each(clouds)(
  'snapshots in $scheme (moto, fake-gcs-server): create, list, verify, restore',
  (cloud) => {
    const src = uniqueDbName(`${cloud.scheme}src`);
    const bucket = uniqueDbName('dbfork-snap').toLowerCase().replace(/_/g, '-');
    const store = `${cloud.scheme}://${bucket}/prod`;
    const source = new MongoClient(servers.sourceUri);
    const target = new MongoClient(servers.targetUri);
    const targetDb = `${uniqueDbName(`${cloud.scheme}dst`)}_pr_1`;

    beforeAll(async () => {
      await cloud.createBucket(bucket);
      loadAtlasCollections(servers, servers.sourceUri, src, [
        ['sample_analytics', 'customers'],
        ['sample_mflix', 'users'],
      ]);
    });
    afterAll(async () => {
      await source.db(src).dropDatabase();
      await target.db(targetDb).dropDatabase();
      await Promise.all([source.close(), target.close()]);
      cloud.close();
    });

    it('a gzipped snapshot restores into the target byte for byte equal to the source', async () => {
      const env = cloud.env;
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
        { env },
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).not.toContain('Warning');
      const keys = await cloud.keys(bucket, 'prod/shop/');
      expect(keys.some((k) => k.endsWith('/manifest.json'))).toBe(true);
      expect(keys.some((k) => k.endsWith('/data.archive.gz'))).toBe(true);
      expect(keys).toContain('prod/shop/latest');

      const list = await runCli(['--json', 'snapshot', 'list', '--store', store], { env });
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('"status":"complete"');
      const verify = await runCli(['snapshot', 'verify', 'shop@latest', '--store', store], { env });
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
        { env },
      );
      expect(restored.code, restored.stderr).toBe(0);
      for (const coll of ['customers', 'users']) {
        const [want, got] = await Promise.all([rawById(source, src, coll), rawById(target, targetDb, coll)]);
        expect(got.size).toBe(want.size);
        for (const [id, bytes] of want) expect(got.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
      }
    });
  },
);

it('an s3 store URL with an unknown sse option is a usage error', async () => {
  const res = await runCli(['snapshot', 'list', '--store', 's3://some-bucket/x?sse=rot13']);
  expect(res.code).toBe(2);
  expect(res.stderr).toContain('STORE_BAD_URL');
});
