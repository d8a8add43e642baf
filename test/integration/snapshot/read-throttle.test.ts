import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/run-cli.js';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const servers = testServers();
const DOCS = 800;
const DOC_BYTES = 5000; // about 4 MB in all
const RATE = 1_000_000; // 1 MB/s

interface Manifest {
  collections: { namespace: string; documents: number; bytes: number; crc64?: string }[];
}

describe('snapshot create --max-read-rate against a real server', () => {
  const sourceDb = uniqueDbName('throttle');
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-throttle-'));
  const store = join(dir, 'store');
  const source = new MongoClient(servers.sourceUri);

  beforeAll(async () => {
    const docs = Array.from({ length: DOCS }, (_, i) => ({ _id: i, pad: 'x'.repeat(DOC_BYTES) }));
    await source.db(sourceDb).collection<{ _id: number; pad: string }>('blobs').insertMany(docs);
  });
  afterAll(async () => {
    await source.db(sourceDb).dropDatabase();
    await source.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const create = async (name: string, extra: string[]): Promise<{ ms: number; manifest: Manifest }> => {
    const started = Date.now();
    const res = await runCli([
      '--json',
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      name,
      '--store',
      store,
      '--no-anonymize',
      ...extra,
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const manifest = (JSON.parse(res.stdout.trim().split('\n').at(-1)!) as { result: Manifest }).result;
    return { ms: Date.now() - started, manifest };
  };

  it('takes at least the time the rate allows and captures the same content', async () => {
    const plain = await create('plain', []);
    const throttled = await create('throttled', ['--max-read-rate', '1MB']);
    const bytes = throttled.manifest.collections.reduce((sum, c) => sum + c.bytes, 0);
    expect(bytes).toBeGreaterThan(3_900_000);
    // one second of burst, then the rest at the rate
    expect(throttled.ms).toBeGreaterThanOrEqual(((bytes - RATE) / RATE) * 1000);
    const shape = (m: Manifest): unknown =>
      m.collections.map((c) => [c.namespace, c.documents, c.bytes, c.crc64]);
    expect(shape(throttled.manifest)).toEqual(shape(plain.manifest));
    expect(throttled.manifest.collections[0]?.documents).toBe(DOCS);
  }, 60_000);

  it('--dry-run names the read rate in the plan', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--name',
      'dry',
      '--store',
      store,
      '--no-anonymize',
      '--max-read-rate',
      '512KiB',
      '--dry-run',
    ]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/max.?read.?rate/i);
  });

  it('refuses a rate that is no byte size', async () => {
    const res = await runCli([
      'snapshot',
      'create',
      '--uri',
      servers.sourceUri,
      '--db',
      sourceDb,
      '--store',
      store,
      '--no-anonymize',
      '--max-read-rate',
      'fast',
    ]);
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/--max-read-rate is not a positive byte size: fast/);
  });
});
