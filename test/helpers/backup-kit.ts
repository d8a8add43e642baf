import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CLI } from './run-cli.js';
import { testServers, uniqueDbName } from './servers.js';

/** An age identity made by `dbfork keygen`, in a file, and its recipient. */
export interface TestKey {
  readonly file: string;
  readonly recipient: string;
}

/** A fresh identity file (mode 0600 in a temporary folder) and its `age1…` recipient. */
export function newTestKey(): TestKey {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-key-'));
  const file = join(dir, 'identity.txt');
  const text = execFileSync(process.execPath, [CLI, 'keygen', '--output', file], { encoding: 'utf8' });
  const content = readFileSync(file, 'utf8') + text;
  const recipient = /age1[0-9a-z]+/.exec(content)?.[0];
  if (!recipient) throw new Error('dbfork keygen printed no recipient');
  return { file, recipient };
}

/** A backup store for a test: its URL, the CLI's environment, and a way to read every object. */
export interface TestStore {
  readonly kind: 'file' | 's3';
  readonly url: string;
  readonly env: Record<string, string>;
  /** Every object: key (relative to the store URL) → bytes. */
  objects(): Promise<Map<string, Buffer>>;
}

/** A store in a new temporary folder. */
export function fileStore(): TestStore {
  const root = mkdtempSync(join(tmpdir(), 'dbfork-backups-'));
  return {
    kind: 'file',
    url: `file://${root}`,
    env: {},
    objects: async () => {
      const out = new Map<string, Buffer>();
      const files = execFileSync('find', [root, '-type', 'f'], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      for (const f of files) out.set(f.slice(root.length + 1), readFileSync(f));
      return out;
    },
  };
}

/** A store in a new bucket on moto (`DBFORK_TEST_AWS_ENDPOINT`). */
export async function s3Store(): Promise<TestStore> {
  const endpoint = testServers().awsEndpoint;
  const env = {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: 'us-east-1',
  };
  const s3 = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const bucket = uniqueDbName('dbfork-bk').toLowerCase().replace(/_/g, '-');
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    kind: 's3',
    url: `s3://${bucket}/backups`,
    env,
    objects: async () => {
      const out = new Map<string, Buffer>();
      const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'backups/' }));
      for (const o of listed.Contents ?? []) {
        const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: o.Key }));
        out.set((o.Key ?? '').slice('backups/'.length), Buffer.from(await got.Body!.transformToByteArray()));
      }
      return out;
    },
  };
}
