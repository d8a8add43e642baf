import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { readSnapshotData } from '../../../src/pipeline/read-snapshot-data.js';
import { writeSnapshotData } from '../../../src/pipeline/snapshot-data.js';
import { verifySnapshot } from '../../../src/pipeline/verify-snapshot.js';
import { openSnapshotStore } from '../../../src/store/open-snapshot-store.js';
import { testManifest } from '../../helpers/manifest.js';

const FIXTURE = fileURLToPath(new URL('../../fixtures/legacy-store', import.meta.url));
const roots: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-layout-'));
  roots.push(dir);
  return dir;
}
afterAll(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

async function collect(events: AsyncIterable<DumpEvent>): Promise<DumpEvent[]> {
  const out: DumpEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('filesystem snapshot store layout', () => {
  it('reads and verifies the snapshots written by 0.1.0 (archive gzip and directory)', async () => {
    const dir = root();
    cpSync(FIXTURE, dir, { recursive: true });
    const store = await openSnapshotStore(dir);
    expect(await store.names()).toEqual(['legacy-archive', 'legacy-dir']);
    for (const name of ['legacy-archive', 'legacy-dir']) {
      const [info] = await store.list(name);
      expect(info).toMatchObject({ status: 'complete', isLatest: true });
      const verify = await verifySnapshot(store, { name, id: 'latest' });
      expect(verify.ok, name).toBe(true);
      expect(verify.collections.map((c) => [c.namespace, c.documents])).toEqual([
        ['shop.customers', 12],
        ['shop.orders', 12],
      ]);
      const events = await collect(readSnapshotData(await store.resolve({ name, id: 'latest' })));
      expect(events.filter((e) => e.type === 'document')).toHaveLength(24);
    }
  });

  it('writes new snapshots in the same layout, private, and with no lease left after commit', async () => {
    const dir = root();
    const store = await openSnapshotStore(`file://${dir}`);
    const fixtureEvents = async function* () {
      yield* readSnapshotData(
        await (await openSnapshotStore(FIXTURE)).resolve({ name: 'legacy-dir', id: 'latest' }),
      );
    };
    for (const [name, format, gzip] of [
      ['arch', 'archive', true],
      ['dirs', 'directory', false],
    ] as const) {
      const p = await store.begin(name);
      const summary = await writeSnapshotData(p, fixtureEvents(), {
        format,
        codecs: gzip ? ['gzip'] : [],
        toolVersion: 't',
      });
      await store.commit(p, {
        ...testManifest(name, p.id),
        format,
        gzip,
        codecs: gzip ? ['gzip'] : [],
        dataPath: summary.dataPath,
      });
      const snap = join(dir, name, p.id);
      expect(readFileSync(join(dir, name, 'latest'), 'utf8')).toBe(`${p.id}\n`);
      expect(readdirSync(snap).sort()).toEqual(
        format === 'archive' ? ['data.archive.gz', 'manifest.json'] : ['dump', 'manifest.json'],
      );
      if (format === 'directory')
        expect(readdirSync(join(snap, 'dump', 'shop')).sort()).toEqual([
          'customers.bson',
          'customers.metadata.json',
          'orders.bson',
          'orders.metadata.json',
        ]);
      for (const path of [snap, join(snap, 'manifest.json'), join(dir, name, 'latest')])
        expect(statSync(path).mode & 0o077, path).toBe(0);
    }
  });

  it('removes a 0.1.0 partial snapshot whose writer on this host is dead', async () => {
    const dir = root();
    const dead = join(dir, 'prod', '20200101T000000000Z-dead');
    mkdirSync(dead, { recursive: true });
    writeFileSync(join(dead, '.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    writeFileSync(join(dead, '.data.archive.0123456789ab.tmp'), 'partial');
    const empty = join(dir, 'prod', '20200101T000000000Z-0000');
    mkdirSync(empty); // killed between creating the folder and writing the lock
    const store = await openSnapshotStore(dir);
    expect((await store.list('prod')).map((s) => s.inProgress)).toEqual([false, false]);
    const live = await store.begin('prod');
    expect((await store.list('prod')).map((x) => x.id)).toEqual([live.id]);
    expect(readdirSync(join(dir, 'prod'))).toEqual([live.id]);
  });

  it('rejects a tampered manifest with a store error naming the file', async () => {
    const dir = root();
    const store = await openSnapshotStore(dir);
    const p = await store.begin('prod');
    await store.commit(p, testManifest('prod', p.id));
    const file = join(dir, 'prod', p.id, 'manifest.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"complete"', '"half"'));
    await expect(store.resolve({ name: 'prod', id: p.id })).rejects.toMatchObject({
      code: 'SNAPSHOT_BAD_MANIFEST',
      subject: { file },
    });
  });
});

describe('manifest format versions', () => {
  it('reads 0.1.0 manifests (format version 1) as version 2, codecs from their gzip flag', async () => {
    const store = await openSnapshotStore(FIXTURE);
    const archive = (await store.resolve({ name: 'legacy-archive', id: 'latest' })).manifest;
    expect(archive).toMatchObject({
      formatVersion: 2,
      gzip: true,
      codecs: ['gzip'],
      dataPath: 'data.archive.gz',
    });
    const dir = (await store.resolve({ name: 'legacy-dir', id: 'latest' })).manifest;
    expect(dir).toMatchObject({ formatVersion: 2, gzip: false, codecs: [], dataPath: 'dump' });
  });

  it('reads a manifest without formatVersion, and refuses a newer version with an upgrade hint', async () => {
    const dir = root();
    cpSync(FIXTURE, dir, { recursive: true });
    const store = await openSnapshotStore(dir);
    const { manifest } = await store.resolve({ name: 'legacy-dir', id: 'latest' });
    const file = join(dir, 'legacy-dir', manifest.id, 'manifest.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    delete stored.formatVersion;
    writeFileSync(file, JSON.stringify(stored));
    expect((await verifySnapshot(store, { name: 'legacy-dir', id: 'latest' })).ok).toBe(true);
    writeFileSync(file, JSON.stringify({ ...stored, formatVersion: 3, codecs: [] }));
    await expect(store.resolve({ name: 'legacy-dir', id: manifest.id })).rejects.toMatchObject({
      code: 'SNAPSHOT_BAD_MANIFEST',
      hint: expect.stringMatching(/newer than this dbfork reads/),
    });
  });

  it('writes format version 2 with the codecs, and refuses a gzip flag that contradicts them', async () => {
    const dir = root();
    const store = await openSnapshotStore(dir);
    const p = await store.begin('prod');
    await store.commit(p, { ...testManifest('prod', p.id), gzip: true, codecs: ['gzip'] });
    const written = JSON.parse(readFileSync(join(dir, 'prod', p.id, 'manifest.json'), 'utf8'));
    expect(written).toMatchObject({ formatVersion: 2, gzip: true, codecs: ['gzip'] });
    const q = await store.begin('prod');
    await expect(
      store.commit(q, { ...testManifest('prod', q.id), gzip: true, codecs: [] }),
    ).rejects.toThrow();
    await store.abort(q);
  });
});
