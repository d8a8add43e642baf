import { Storage } from '@google-cloud/storage';
import { describe, expect, it } from 'vitest';
import { testServers, uniqueDbName } from '../../helpers/servers.js';

const { gcsEndpoint } = testServers();

describe('fake-gcs-server', () => {
  it('uploads an object and downloads the same bytes', async () => {
    const storage = new Storage({ apiEndpoint: gcsEndpoint, projectId: 'dbfork-test' });
    const name = uniqueDbName('bucket').toLowerCase().replace(/_/g, '-');
    const [bucket] = await storage.createBucket(name);
    const payload = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 251));
    await bucket.file('snapshots/x.bin').save(payload, { resumable: false });
    const [downloaded] = await bucket.file('snapshots/x.bin').download();
    expect(Buffer.compare(downloaded, payload)).toBe(0);
  });
});
