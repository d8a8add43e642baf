import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAtlasCollections } from '../../helpers/load-atlas.js';
import { rawById } from '../../helpers/raw-documents.js';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';
import {
  dbBytes,
  expectSameBytes,
  fileObjects,
  flipped,
  keygen,
  knownValues,
  plaintextHits,
  s3Client,
  s3Objects,
  type StoredObjects,
} from './encryption-fixture.js';

const servers = testServers();
const s3 = s3Client(servers);
const s3Env = {
  AWS_ENDPOINT_URL_S3: servers.awsEndpoint,
  AWS_ACCESS_KEY_ID: 'testing',
  AWS_SECRET_ACCESS_KEY: 'testing',
  AWS_REGION: 'us-east-1',
};
const work = mkdtempSync(join(tmpdir(), 'dbfork-enc-'));
const COLLECTIONS = ['accounts', 'customers', 'theaters', 'users'];

/** A store the snapshot goes to: its URL, the CLI's environment, and its stored bytes. */
interface Store {
  readonly kind: string;
  readonly url: string;
  readonly env: Record<string, string>;
  readonly gzip: boolean;
  readonly objects: StoredObjects;
  prepare(): Promise<void>;
}

const bucket = uniqueDbName('dbfork-enc').toLowerCase().replace(/_/g, '-');
const stores: Store[] = [
  {
    kind: 'file',
    url: `file://${join(work, 'store')}`,
    env: {},
    gzip: false,
    objects: fileObjects(join(work, 'store')),
    prepare: async () => undefined,
  },
  {
    kind: 's3 (moto)',
    url: `s3://${bucket}/prod`,
    env: s3Env,
    gzip: true,
    objects: s3Objects(s3, bucket, 'prod/'),
    prepare: async () => void (await s3.send(new CreateBucketCommand({ Bucket: bucket }))),
  },
];

const source = new MongoClient(servers.sourceUri);
const target = new MongoClient(servers.targetUri);
const src = uniqueDbName('encsrc');
const dropped: string[] = [];
let right = { file: '', recipient: '' };
let wrong = { file: '', recipient: '' };
let values: string[] = [];

beforeAll(async () => {
  loadAtlasCollections(servers, servers.sourceUri, src, [
    ['sample_analytics', 'accounts'],
    ['sample_analytics', 'customers'],
    ['sample_mflix', 'theaters'],
    ['sample_mflix', 'users'],
  ]);
  right = await keygen(join(work, 'right.txt'));
  wrong = await keygen(join(work, 'wrong.txt'));
  values = await knownValues(source, src);
  expect(values.length).toBe(16);
});

afterAll(async () => {
  await source.db(src).dropDatabase();
  for (const db of dropped) await target.db(db).dropDatabase();
  await Promise.all([source.close(), target.close()]);
  s3.destroy();
  rmSync(work, { recursive: true, force: true });
});

function targetDb(label: string): string {
  const db = `${uniqueDbName(label)}_pr_${dropped.length + 1}`;
  dropped.push(db);
  return db;
}

/** A target db holding collections that the snapshot also holds, with other content. */
async function seededTarget(label: string): Promise<string> {
  const db = targetDb(label);
  await target
    .db(db)
    .collection('users')
    .insertMany([{ name: 'Seeded Sam', email: 'sam@seed.test' }, { n: 2 }]);
  await target.db(db).collection('customers').insertOne({ seeded: true });
  await target.db(db).collection('unrelated').insertOne({ keep: 'me' });
  return db;
}

async function expectUnchanged(db: string, before: Awaited<ReturnType<typeof dbBytes>>): Promise<void> {
  const after = await dbBytes(target, db);
  expectSameBytes(after, before);
  expect([...after.keys()]).toEqual(['customers', 'unrelated', 'users']);
}

function restoreArgs(store: Store, db: string, ...extra: string[]): string[] {
  return [
    'restore',
    '--snapshot',
    'shop@latest',
    '--store',
    store.url,
    '--to',
    servers.targetUri,
    '--db',
    db,
    '--no-anonymize',
    ...extra,
  ];
}

describe.each(stores)('encrypted snapshot in the $kind store', (store) => {
  let dataKey = '';

  beforeAll(async () => {
    await store.prepare();
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
        store.url,
        '--no-anonymize',
        '--recipient',
        right.recipient,
        ...(store.gzip ? ['--gzip'] : []),
      ],
      { env: store.env },
    );
    expect(created.code, created.stderr).toBe(0);
    const keys = [...(await store.objects.all()).keys()];
    dataKey = keys.find(
      (k) => k.startsWith('shop/') && k.endsWith(store.gzip ? '/data.archive.gz.age' : '/data.archive.age'),
    )!;
    expect(dataKey, keys.join(', ')).toBeDefined();
  });

  it('the stored bytes hold none of the known emails and names (grep of every object)', async () => {
    const objects = await store.objects.all();
    expect(objects.size).toBeGreaterThanOrEqual(3); // data, manifest, latest
    expect(plaintextHits(objects, values)).toEqual([]);
    const data = objects.get(dataKey)!;
    expect(data.subarray(0, 22).toString()).toBe('age-encryption.org/v1\n');
    const manifest = [...objects].find(([k]) => k.endsWith('/manifest.json'))![1].toString();
    expect(manifest).toContain(right.recipient);
    expect(manifest).not.toContain('AGE-SECRET-KEY');
  });

  it('snapshot show and list say that it is encrypted and to which recipient', async () => {
    const show = await runCli(['snapshot', 'show', 'shop@latest', '--store', store.url], { env: store.env });
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).toContain(`encrypted    age, to ${right.recipient}`);
    const list = await runCli(['--json', 'snapshot', 'list', '--store', store.url], { env: store.env });
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toContain(`"encrypted":true,"recipients":["${right.recipient}"]`);
  });

  it('restores with the right identity equal to the source, byte for byte', async () => {
    const db = targetDb('encok');
    const res = await runCli(restoreArgs(store, db, '--identity', right.file), { env: store.env });
    expect(res.code, res.stderr).toBe(0);
    for (const coll of COLLECTIONS) {
      const [want, got] = await Promise.all([rawById(source, src, coll), rawById(target, db, coll)]);
      expect(want.size, coll).toBeGreaterThan(0);
      expect(got.size, coll).toBe(want.size);
      for (const [id, bytes] of want) expect(got.get(id)?.equals(bytes), `${coll} ${id}`).toBe(true);
    }
  });

  it('without --identity it fails from the manifest, before the target is reached', async () => {
    // port 1: nothing listens there; a connection attempt would fail differently
    const res = await runCli(
      [
        'restore',
        '--snapshot',
        'shop@latest',
        '--store',
        store.url,
        '--to',
        'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500',
        '--db',
        'never_pr_1',
        '--no-anonymize',
      ],
      { env: store.env },
    );
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('DECRYPTION_IDENTITY_REQUIRED');
    expect(res.stderr).toContain(right.recipient);
  });

  it('a wrong identity fails and leaves the target as it was, no temporaries', async () => {
    const db = await seededTarget('encwrong');
    const before = await dbBytes(target, db);
    const res = await runCli(restoreArgs(store, db, '--identity', wrong.file), { env: store.env });
    expect(res.code).toBe(6);
    expect(res.stderr).toContain('DECRYPTION_WRONG_IDENTITY');
    expect(res.stderr).not.toContain('AGE-SECRET-KEY');
    await expectUnchanged(db, before);
    // checked on the stored header before the target is reached: an unreachable target is never tried
    const early = await runCli(
      [
        'restore',
        '--snapshot',
        'shop@latest',
        '--store',
        store.url,
        '--to',
        'mongodb://127.0.0.1:1/?serverSelectionTimeoutMS=500',
        '--db',
        'never_pr_1',
        '--no-anonymize',
        '--identity',
        wrong.file,
      ],
      { env: store.env },
    );
    expect(early.code).toBe(6);
    expect(early.stderr).toContain('DECRYPTION_WRONG_IDENTITY');
  });

  it('snapshot verify: ciphertext without the identity, documents with it', async () => {
    const plain = await runCli(['snapshot', 'verify', 'shop@latest', '--store', store.url], {
      env: store.env,
    });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('ciphertext checked');
    expect(plain.stdout).toMatch(/data\.archive(\.gz)?\.age\s+\d+\s+\d+\s+ok/);
    const full = await runCli(
      ['snapshot', 'verify', 'shop@latest', '--store', store.url, '--identity', right.file],
      {
        env: store.env,
      },
    );
    expect(full.code, full.stderr).toBe(0);
    expect(full.stdout).toMatch(new RegExp(`${src}\\.customers\\s+500\\s+500\\s+ok`));
    const wrongKey = await runCli(
      ['snapshot', 'verify', 'shop@latest', '--store', store.url, '--identity', wrong.file],
      {
        env: store.env,
      },
    );
    expect(wrongKey.code).toBe(6);
    expect(wrongKey.stderr).toContain('DECRYPTION_WRONG_IDENTITY');
  });

  it('a byte flipped late in the data fails the restore after most documents were read; the target is unchanged', async () => {
    const db = await seededTarget('encflip');
    const before = await dbBytes(target, db);
    const intact = (await store.objects.all()).get(dataKey)!;
    const fromEnd = Math.floor(intact.length * 0.1); // in the last tenth, several 64 KiB chunks in
    await store.objects.put(dataKey, flipped(intact, fromEnd));
    try {
      const res = await runCli(['--json', ...restoreArgs(store, db, '--identity', right.file)], {
        env: store.env,
      });
      expect(res.code, res.stderr).toBe(6);
      expect(res.stderr).toContain('DECRYPTION_FAILED');
      // the plaintext offset where authentication failed: well past the start of the data
      const offset = Number(/"offset":(\d+)/.exec(res.stderr)?.[1] ?? /offset=(\d+)/.exec(res.stderr)?.[1]);
      expect(offset).toBeGreaterThan(intact.length * 0.5);
      await expectUnchanged(db, before);

      const verify = await runCli(['snapshot', 'verify', 'shop@latest', '--store', store.url], {
        env: store.env,
      });
      expect(verify.code).toBe(1);
      expect(verify.stdout).toMatch(/data\.archive(\.gz)?\.age\s+\d+\s+\d+\s+mismatch/);
      expect(verify.stdout).toContain('FAILED');
      const withKey = await runCli(
        ['snapshot', 'verify', 'shop@latest', '--store', store.url, '--identity', right.file],
        { env: store.env },
      );
      expect(withKey.code, withKey.stderr).toBe(1);
      expect(withKey.stdout).toMatch(/data\.archive(\.gz)?\.age\s+\d+\s+\d+\s+mismatch/);
    } finally {
      await store.objects.put(dataKey, intact);
    }
    const again = await runCli(['snapshot', 'verify', 'shop@latest', '--store', store.url], {
      env: store.env,
    });
    expect(again.code, again.stdout).toBe(0);
  });

  it('scan --snapshot reads it with --identity and finds the personal data', async () => {
    const res = await runCli(
      ['--json', 'scan', '--snapshot', 'shop@latest', '--store', store.url, '--identity', right.file],
      {
        env: store.env,
      },
    );
    expect(res.code, res.stderr).toBe(1); // findings: raw emails
    expect(res.stdout).toContain('email');
    const without = await runCli(['scan', '--snapshot', 'shop@latest', '--store', store.url], {
      env: store.env,
    });
    expect(without.code).toBe(2);
    expect(without.stderr).toContain('DECRYPTION_IDENTITY_REQUIRED');
  });
});

it('control: an unencrypted snapshot of the same data does show the values to the grep', async () => {
  const root = join(work, 'plain-store');
  const created = await runCli([
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    src,
    '--name',
    'plain',
    '--store',
    `file://${root}`,
    '--no-anonymize',
  ]);
  expect(created.code, created.stderr).toBe(0);
  expect(plaintextHits(await fileObjects(root).all(), values).length).toBeGreaterThanOrEqual(values.length);
});

it('snapshot create --dry-run says it would encrypt, to which recipient, and writes nothing', async () => {
  const root = join(work, 'dry-store');
  const res = await runCli([
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    src,
    '--name',
    'dry',
    '--store',
    `file://${root}`,
    '--no-anonymize',
    '--recipient',
    right.recipient,
    '--dry-run',
  ]);
  expect(res.code, res.stderr).toBe(0);
  expect(res.stdout).toContain(`age-encrypted to ${right.recipient}`);
  expect(
    (
      await fileObjects(root)
        .all()
        .catch(() => new Map())
    ).size,
  ).toBe(0);
  const bad = await runCli([
    'snapshot',
    'create',
    '--uri',
    servers.sourceUri,
    '--db',
    src,
    '--name',
    'dry',
    '--store',
    `file://${root}`,
    '--no-anonymize',
    '--recipient',
    'AGE-SECRET-KEY-1QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ',
  ]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('ENCRYPTION_BAD_RECIPIENT');
  expect(bad.stderr).not.toContain('AGE-SECRET-KEY-1QQQ'); // a pasted identity is never echoed
});
