import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { GcsObjectStore } from '../../../src/store/gcs/gcs-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import { S3ObjectStore } from '../../../src/store/s3/s3-object-store.js';
import { serializeManifest } from '../../../src/store/manifest-codec.js';
import { newSnapshotId } from '../../../src/store/snapshot-id.js';
import { testManifest } from '../../helpers/manifest.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import { gcsSignatureValid, s3SignatureValid } from '../../helpers/url-signatures.js';

const run = promisify(execFile);
const servers = testServers();
const bucketName = (p: string): string => uniqueDbName(p).toLowerCase().replace(/_/g, '-');

/** curl a URL: its status and body (extra headers as `Name: value`). */
async function curl(url: string, ...headers: string[]): Promise<{ status: number; body: string }> {
  const args = ['-s', '-w', '\n%{http_code}', ...headers.flatMap((h) => ['-H', h]), url];
  const { stdout } = await run('curl', args);
  const at = stdout.lastIndexOf('\n');
  return { status: Number(stdout.slice(at + 1)), body: stdout.slice(0, at) };
}

/** A complete directory snapshot (two data objects) and an incomplete one, written through the catalogue. */
async function seed(objects: ObjectStore): Promise<{ manifest: string; incomplete: string }> {
  const catalog = new ObjectSnapshotCatalog(objects);
  const pending = await catalog.begin('shop');
  for (const [key, text] of [
    ['dump/shop/orders.bson', 'order bytes'],
    ['dump/shop/orders.metadata.json', '{"indexes":[]}'],
  ] as const) {
    const upload = pending.upload(key);
    upload.stream.end(Buffer.from(text));
    await upload.done;
  }
  const manifest = { ...testManifest('shop', pending.id), format: 'directory' as const, dataPath: 'dump' };
  await catalog.commit(pending, manifest);
  // a capture still running on a pod: data, a live lease, no manifest
  const incomplete = newSnapshotId(new Date());
  await objects.put(`shop/${incomplete}/dump/shop/orders.bson`, 'partial');
  await objects.put(
    `shop/${incomplete}/.lock`,
    JSON.stringify({
      owner: 'pod:1:a',
      host: 'pod',
      pid: 1,
      renewedAt: '',
      expiresAt: '2099-01-01T00:00:00Z',
    }),
  );
  return { manifest: serializeManifest(manifest), incomplete };
}

describe('snapshot share on S3 (moto)', () => {
  const client = new S3Client({
    endpoint: servers.awsEndpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const bucket = bucketName('dbfork-share');
  const store = `s3://${bucket}/prod`;
  const env = {
    AWS_ENDPOINT_URL_S3: servers.awsEndpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
  let seeded: { manifest: string; incomplete: string };

  beforeAll(async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    seeded = await seed(new S3ObjectStore({ client, bucket, prefix: 'prod' }));
  });
  afterAll(() => client.destroy());

  it('prints presigned URLs that curl fetches: the manifest and every data object; unsigned, the bucket refuses', async () => {
    const res = await runCli(
      ['--json', 'snapshot', 'share', 'shop@latest', '--expires', '1h', '--store', store],
      {
        env,
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const { result } = JSON.parse(res.stdout.trim());
    expect(result.expiresInSeconds).toBe(3600);
    expect(result.objects.map((o: { key: string }) => o.key)).toEqual([
      'manifest.json',
      'dump/shop/orders.bson',
      'dump/shop/orders.metadata.json',
    ]);
    const [manifest, bson, metadata] = result.objects as { url: string }[];
    expect(await curl(manifest!.url)).toEqual({ status: 200, body: seeded.manifest });
    expect(await curl(bson!.url)).toEqual({ status: 200, body: 'order bytes' });
    expect(await curl(metadata!.url)).toEqual({ status: 200, body: '{"indexes":[]}' });
    for (const { url } of result.objects as { url: string }[]) {
      expect(new URL(url).searchParams.get('X-Amz-Expires')).toBe('3600');
      // moto accepts any signature: check SigV4 independently
      expect(s3SignatureValid(url, 'testing'), url).toBe(true);
      expect(s3SignatureValid(url, 'another secret')).toBe(false);
      // the object itself stays private
      expect((await curl(url.split('?')[0]!)).status).toBe(403);
    }
  });

  it('refuses an incomplete snapshot, an expiry over 7 days, and a file store', async () => {
    const incomplete = await runCli(['snapshot', 'share', `shop@${seeded.incomplete}`, '--store', store], {
      env,
    });
    expect(incomplete.code).toBe(6);
    expect(incomplete.stderr).toMatch(/SNAPSHOT_NOT_FOUND: .*incomplete/);
    const long = await runCli(['snapshot', 'share', 'shop@latest', '--expires', '8d', '--store', store], {
      env,
    });
    expect(long.code).toBe(2);
    expect(long.stderr).toContain('between 1s and 7d');
    const dir = mkdtempSync(join(tmpdir(), 'dbfork-share-'));
    try {
      const fs = new ObjectSnapshotCatalog(new FsObjectStore(dir));
      const pending = await fs.begin('shop');
      await fs.commit(pending, testManifest('shop', pending.id));
      const file = await runCli(['snapshot', 'share', 'shop@latest', '--store', dir]);
      expect(file.code).toBe(6);
      expect(file.stderr).toContain('STORE_UNSUPPORTED');
      expect(file.stderr).toContain('not supported for this store');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('snapshot share on GCS (fake-gcs-server, a generated test service account key)', () => {
  const gcs = new Storage({ apiEndpoint: servers.gcsEndpoint, projectId: 'dbfork-test' });
  const bucket = bucketName('dbfork-share');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-sa-'));
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyFile = join(dir, 'service-account.json');
  let seeded: { manifest: string; incomplete: string };

  beforeAll(async () => {
    writeFileSync(
      keyFile,
      JSON.stringify({
        type: 'service_account',
        project_id: 'dbfork-test',
        private_key_id: 'test-key',
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }),
        client_email: 'dbfork-share@dbfork-test.iam.gserviceaccount.com',
        client_id: '1',
        token_uri: 'https://oauth2.googleapis.com/token',
      }),
    );
    await gcs.createBucket(bucket);
    seeded = await seed(new GcsObjectStore({ bucket: gcs.bucket(bucket), prefix: 'prod' }));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints V4 signed URLs with a valid signature that fetch the manifest (fake-gcs-server: public host name, signatures unchecked)', async () => {
    const res = await runCli(
      ['--json', 'snapshot', 'share', 'shop@latest', '--expires', '2h', '--store', `gs://${bucket}/prod`],
      {
        env: {
          STORAGE_EMULATOR_HOST: servers.gcsEndpoint,
          GOOGLE_CLOUD_PROJECT: 'dbfork-test',
          GOOGLE_APPLICATION_CREDENTIALS: keyFile,
        },
      },
    );
    expect(res.code, res.stderr).toBe(0);
    const { result } = JSON.parse(res.stdout.trim());
    expect(result.objects).toHaveLength(3);
    for (const { url } of result.objects as { url: string }[]) {
      expect(new URL(url).searchParams.get('X-Goog-Expires')).toBe('7200');
      expect(gcsSignatureValid(url, publicKey), url).toBe(true);
      expect(gcsSignatureValid(url.replace(/X-Goog-Expires=7200/, 'X-Goog-Expires=7201'), publicKey)).toBe(
        false,
      );
    }
    // fake-gcs-server serves path-style downloads only under its public host name
    const manifest = await curl(
      (result.objects as { url: string }[])[0]!.url,
      'Host: storage.googleapis.com',
    );
    expect(manifest).toEqual({ status: 200, body: seeded.manifest });
  });
});
