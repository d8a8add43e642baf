import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsSnapshotStore } from '../../../src/store/fs/fs-snapshot-store.js';
import { testManifest } from '../../helpers/manifest.js';

const roots: string[] = [];
function store(): { store: FsSnapshotStore; root: string } {
  const root = mkdtempSync(join(tmpdir(), 'dbfork-store-'));
  roots.push(root);
  return { store: new FsSnapshotStore(root), root };
}
afterEach(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const manifest = testManifest;

describe('filesystem snapshot store', () => {
  it('a snapshot is complete only after commit, and latest follows commits', async () => {
    const { store: s } = store();
    const first = await s.begin('prod');
    expect((await s.list('prod'))[0]).toMatchObject({ id: first.id, status: 'incomplete', inProgress: true });
    expect(await s.latest('prod')).toBeNull();
    await s.commit(first, manifest('prod', first.id));
    expect(await s.latest('prod')).toBe(first.id);
    await new Promise((r) => setTimeout(r, 5));
    const second = await s.begin('prod');
    expect(await s.latest('prod')).toBe(first.id);
    await s.commit(second, manifest('prod', second.id));
    expect(await s.latest('prod')).toBe(second.id);
    expect((await s.list('prod')).map((x) => x.id)).toEqual([second.id, first.id]);
    expect((await s.resolve({ name: 'prod', id: 'latest' })).manifest.id).toBe(second.id);
  });

  it('writes private files and folders', async () => {
    const { store: s } = store();
    const p = await s.begin('prod');
    await s.commit(p, manifest('prod', p.id));
    expect(statSync(p.dir).mode & 0o077).toBe(0);
    expect(statSync(join(p.dir, 'manifest.json')).mode & 0o077).toBe(0);
  });

  it('removes abandoned partial snapshots (dead writer) on the next begin, keeps live ones', async () => {
    const { store: s, root } = store();
    const dead = join(root, 'prod', '20200101T000000000Z-dead');
    mkdirSync(dead, { recursive: true });
    writeFileSync(
      join(dead, '.lock'),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }),
    );
    writeFileSync(join(dead, 'data.archive'), 'partial');
    const live = await s.begin('prod');
    const ids = (await s.list('prod')).map((x) => x.id);
    expect(ids).toContain(live.id);
    expect(ids).not.toContain('20200101T000000000Z-dead');
  });

  it('never lets latest name a snapshot without a manifest', async () => {
    const { store: s, root } = store();
    const p = await s.begin('prod');
    writeFileSync(join(root, 'prod', 'latest'), p.id + '\n'); // as if written out of order
    expect(await s.latest('prod')).toBeNull();
    await expect(s.resolve({ name: 'prod', id: 'latest' })).rejects.toMatchObject({
      code: 'SNAPSHOT_NOT_FOUND',
    });
  });

  it('deleting latest moves latest to the previous complete snapshot', async () => {
    const { store: s } = store();
    const a = await s.begin('prod');
    await s.commit(a, manifest('prod', a.id));
    await new Promise((r) => setTimeout(r, 5));
    const b = await s.begin('prod');
    await s.commit(b, manifest('prod', b.id));
    await s.delete('prod', b.id);
    expect(await s.latest('prod')).toBe(a.id);
    await s.delete('prod', a.id);
    expect(await s.latest('prod')).toBeNull();
    expect(await s.list('prod')).toEqual([]);
  });

  it('rejects a tampered manifest with a store error naming the file', async () => {
    const { store: s } = store();
    const p = await s.begin('prod');
    await s.commit(p, manifest('prod', p.id));
    const file = join(p.dir, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"complete"', '"half"'));
    await expect(s.resolve({ name: 'prod', id: p.id })).rejects.toMatchObject({
      code: 'SNAPSHOT_BAD_MANIFEST',
      subject: { file },
    });
  });
});
