import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { MemoryObjectStore } from '../../../src/store/memory/memory-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import type { ObjectStore } from '../../../src/store/object-store.js';
import type { PendingSnapshot } from '../../../src/store/snapshot-catalog.js';
import { testManifest } from '../../helpers/manifest.js';
import { read } from '../../helpers/object-store-contract.js';

const roots: string[] = [];
afterAll(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const backends: [string, () => ObjectStore][] = [
  ['memory', () => new MemoryObjectStore('catalog')],
  [
    'filesystem',
    () => {
      const root = mkdtempSync(join(tmpdir(), 'dbfork-catalog-'));
      roots.push(root);
      return new FsObjectStore(root);
    },
  ],
];

const tick = (ms = 5) => new Promise((r) => setTimeout(r, ms));

async function put(pending: PendingSnapshot, key: string, text: string): Promise<number> {
  const upload = pending.upload(key);
  upload.stream.end(text);
  return upload.done;
}

describe.each(backends)('snapshot catalogue over %s', (_label, makeObjects) => {
  const open = (leaseMs?: number) => {
    const objects = makeObjects();
    return { objects, catalog: new ObjectSnapshotCatalog(objects, leaseMs ? { leaseMs } : {}) };
  };

  it('a snapshot is complete only after commit, and latest follows commits', async () => {
    const { catalog } = open();
    const first = await catalog.begin('prod');
    expect((await catalog.list('prod'))[0]).toMatchObject({
      id: first.id,
      status: 'incomplete',
      inProgress: true,
    });
    expect(await catalog.latest('prod')).toBeNull();
    await catalog.commit(first, testManifest('prod', first.id));
    expect(await catalog.latest('prod')).toBe(first.id);
    await tick();
    const second = await catalog.begin('prod');
    expect(await catalog.latest('prod')).toBe(first.id);
    await catalog.commit(second, testManifest('prod', second.id));
    expect(await catalog.latest('prod')).toBe(second.id);
    expect((await catalog.list('prod')).map((x) => x.id)).toEqual([second.id, first.id]);
    expect((await catalog.list('prod'))[0]).toMatchObject({
      status: 'complete',
      lease: null,
      isLatest: true,
    });
    expect((await catalog.resolve({ name: 'prod', id: 'latest' })).manifest.id).toBe(second.id);
    expect(await catalog.names()).toEqual(['prod']);
  });

  it('stores objects under the snapshot and reads them back by key', async () => {
    const { catalog } = open();
    const p = await catalog.begin('prod');
    expect(await put(p, 'data.archive', 'archive bytes')).toBe(13);
    await put(p, 'dump/shop/orders.bson', 'o');
    await put(p, 'dump/prelude.json', '{}');
    await catalog.commit(p, testManifest('prod', p.id));
    const s = await catalog.resolve({ name: 'prod', id: p.id });
    expect(await s.keys('dump/')).toEqual(['dump/prelude.json', 'dump/shop/orders.bson']);
    expect(await s.keys('')).toEqual([
      'data.archive',
      'dump/prelude.json',
      'dump/shop/orders.bson',
      'manifest.json',
    ]);
    const parts: Buffer[] = [];
    for await (const chunk of await s.open('data.archive')) parts.push(chunk as Buffer);
    expect(Buffer.concat(parts).toString()).toBe('archive bytes');
    expect(s.locate('data.archive')).toContain(`prod/${p.id}/data.archive`);
  });

  it('refuses to upload the keys the catalogue writes itself', async () => {
    const { catalog } = open();
    const p = await catalog.begin('prod');
    expect(() => p.upload('manifest.json')).toThrow(expect.objectContaining({ code: 'STORE_BAD_KEY' }));
    expect(() => p.upload('.lock')).toThrow(expect.objectContaining({ code: 'STORE_BAD_KEY' }));
    expect(() => p.upload('../other')).toThrow(expect.objectContaining({ code: 'STORE_BAD_KEY' }));
    await catalog.abort(p);
  });

  it('never lets latest name a snapshot without a manifest', async () => {
    const { catalog, objects } = open();
    const p = await catalog.begin('prod');
    await objects.put('prod/latest', p.id + '\n'); // as if written out of order
    expect(await catalog.latest('prod')).toBeNull();
    await expect(catalog.resolve({ name: 'prod', id: 'latest' })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
    await expect(catalog.resolve({ name: 'prod', id: p.id })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
    await catalog.abort(p);
  });

  it('deleting latest moves latest to the previous complete snapshot; abort leaves nothing', async () => {
    const { catalog, objects } = open();
    const a = await catalog.begin('prod');
    await catalog.commit(a, testManifest('prod', a.id));
    await tick();
    const b = await catalog.begin('prod');
    await put(b, 'dump/shop/c.bson', 'x');
    await catalog.commit(b, testManifest('prod', b.id));
    await catalog.delete('prod', b.id);
    expect(await catalog.latest('prod')).toBe(a.id);
    await expect(catalog.delete('prod', b.id)).rejects.toMatchObject({ code: 'SNAPSHOT_NOT_FOUND' });
    await catalog.delete('prod', a.id);
    expect(await catalog.latest('prod')).toBeNull();
    expect(await catalog.list('prod')).toEqual([]);
    const c = await catalog.begin('prod');
    await put(c, 'data.archive', 'partial');
    await catalog.abort(c);
    expect((await objects.list('')).objects).toEqual([]);
    expect(await catalog.names()).toEqual([]);
  });

  it('renews the lease while writing, and commit removes it', async () => {
    const { catalog } = open(90);
    const p = await catalog.begin('prod');
    const first = (await catalog.list('prod'))[0]!.lease!;
    expect(first.owner).toMatch(/^.+:\d+:[0-9a-f]{8}$/);
    await tick(200);
    const later = (await catalog.list('prod'))[0]!;
    expect(later.inProgress).toBe(true);
    expect(later.lease!.owner).toBe(first.owner);
    expect(Date.parse(later.lease!.expiresAt!)).toBeGreaterThan(Date.parse(first.expiresAt!));
    await catalog.commit(p, testManifest('prod', p.id));
    const done = await catalog.resolve({ name: 'prod', id: p.id });
    expect(await done.keys('')).toEqual(['manifest.json']);
  });

  it('removes snapshots whose lease lapsed on the next begin, from any host; keeps live ones', async () => {
    const { catalog, objects } = open();
    const lease = (host: string, expiresAt: string) =>
      JSON.stringify({ owner: `${host}:1:abcd0123`, host, pid: 1, renewedAt: expiresAt, expiresAt });
    const past = new Date(Date.now() - 1000).toISOString();
    const future = new Date(Date.now() + 60_000).toISOString();
    await objects.put('prod/20200101T000000000Z-dead/.lock', lease('other-host', past));
    await objects.put('prod/20200101T000000000Z-dead/data.archive', 'partial');
    await objects.put('prod/20200101T000000000Z-1111/.lock', lease('other-host', future));
    await objects.put('prod/20200101T000000000Z-0000/.lock', JSON.stringify({ pid: 1, host: 'other-host' }));
    await objects.put('prod/20200101T000000000Z-abcd/dump/x.bson', 'no lease at all');
    expect((await catalog.list('prod')).map((s) => [s.id, s.inProgress])).toEqual([
      ['20200101T000000000Z-dead', false],
      ['20200101T000000000Z-abcd', false],
      ['20200101T000000000Z-1111', true],
      ['20200101T000000000Z-0000', true], // a 0.1.0 lock from another host cannot be judged
    ]);
    const mine = await catalog.begin('prod');
    expect((await catalog.list('prod')).map((s) => s.id).sort()).toEqual(
      [mine.id, '20200101T000000000Z-0000', '20200101T000000000Z-1111'].sort(),
    );
    await catalog.abort(mine);
  });

  it('refuses to commit a snapshot that was removed as abandoned meanwhile', async () => {
    const { catalog, objects } = open();
    const p = await catalog.begin('prod');
    await objects.deletePrefix(`prod/${p.id}/`);
    await expect(catalog.commit(p, testManifest('prod', p.id))).rejects.toMatchObject({
      code: 'SNAPSHOT_LEASE_LOST',
    });
    expect(await catalog.latest('prod')).toBeNull();
    expect(await read(objects, 'prod/latest').catch(() => null)).toBeNull();
  });

  it('rejects bad names and ids', async () => {
    const { catalog } = open();
    await expect(catalog.begin('../x')).rejects.toMatchObject({ code: 'SNAPSHOT_BAD_NAME' });
    await expect(catalog.delete('prod', 'nope')).rejects.toMatchObject({ code: 'SNAPSHOT_BAD_REF' });
    await expect(catalog.resolve({ name: 'prod', id: 'nope' })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
  });
});
