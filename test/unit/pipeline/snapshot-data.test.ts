import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BSON } from 'bson';
import { afterAll, describe, expect, it } from 'vitest';
import type { DumpEvent } from '../../../src/core/dump-event.js';
import { readSnapshotData } from '../../../src/pipeline/read-snapshot-data.js';
import { writeSnapshotData } from '../../../src/pipeline/snapshot-data.js';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { MemoryObjectStore } from '../../../src/store/memory/memory-object-store.js';
import { ObjectSnapshotCatalog } from '../../../src/store/object-snapshot-catalog.js';
import { testManifest } from '../../helpers/manifest.js';

const roots: string[] = [];
afterAll(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

const ns = (collection: string) => ({ db: 'shop', collection });

function* dump(documents: number, bson = (i: number) => BSON.serialize({ _id: i, v: `value ${i}` })) {
  yield {
    type: 'prelude',
    serverVersion: '7.0.0',
    toolVersion: 'test',
    concurrentCollections: 1,
    collections: ['a', 'b'].map((c) => ({
      namespace: ns(c),
      collectionType: 'collection',
      metadataJson: '',
    })),
  } satisfies DumpEvent;
  for (const c of ['a', 'b']) {
    for (let i = 0; i < documents; i++)
      yield { type: 'document', namespace: ns(c), bson: bson(i) } satisfies DumpEvent;
    yield { type: 'end', namespace: ns(c) } satisfies DumpEvent;
  }
}

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

describe('snapshot data in a catalogue', () => {
  for (const [format, gzip] of [
    ['archive', false],
    ['archive', true],
    ['directory', false],
    ['directory', true],
  ] as const) {
    it(`${format}${gzip ? ' gzip' : ''}: round-trips the dump through the store's keys`, async () => {
      const objects = new MemoryObjectStore();
      const catalog = new ObjectSnapshotCatalog(objects);
      const pending = await catalog.begin('prod');
      const summary = await writeSnapshotData(pending, from(dump(50)), {
        format,
        codecs: gzip ? ['gzip'] : [],
        toolVersion: 't',
      });
      expect(summary.collections.map((c) => c.documents)).toEqual([50, 50]);
      await catalog.commit(pending, {
        ...testManifest('prod', pending.id),
        format,
        gzip,
        codecs: gzip ? ['gzip'] : [],
        dataPath: summary.dataPath,
      });
      const keys = (await objects.list(`prod/${pending.id}/`)).objects.map((o) =>
        o.key.split('/').slice(2).join('/'),
      );
      const gz = gzip ? '.gz' : '';
      expect(keys).toEqual(
        format === 'archive'
          ? [`data.archive${gz}`, 'manifest.json']
          : [`dump/prelude.json${gz}`, `dump/shop/a.bson${gz}`, `dump/shop/b.bson${gz}`, 'manifest.json'],
      );
      const sizes = (await objects.list(`prod/${pending.id}/`)).objects
        .filter((o) => !o.key.endsWith('manifest.json'))
        .reduce((n, o) => n + o.size, 0);
      expect(summary.bytesWritten).toBe(sizes);
      const back: DumpEvent[] = [];
      for await (const e of readSnapshotData(await catalog.resolve({ name: 'prod', id: 'latest' })))
        back.push(e);
      expect(
        back.filter((e) => e.type === 'document').map((e) => Buffer.from(e.bson).toString('hex')),
      ).toEqual(
        [...dump(50)].filter((e) => e.type === 'document').map((e) => Buffer.from(e.bson).toString('hex')),
      );
    });
  }

  it('stores nothing under the data key when the dump stream fails', async () => {
    const objects = new MemoryObjectStore();
    const catalog = new ObjectSnapshotCatalog(objects);
    const pending = await catalog.begin('prod');
    async function* broken() {
      yield* from([...dump(5)].slice(0, 3));
      throw new Error('source died');
    }
    await expect(
      writeSnapshotData(pending, broken(), { format: 'archive', codecs: [], toolVersion: 't' }),
    ).rejects.toThrow('source died');
    expect((await objects.list(`prod/${pending.id}/`)).objects.map((o) => o.key)).toEqual([
      `prod/${pending.id}/.lock`,
    ]);
    await catalog.abort(pending);
  });

  it('streams an archive into a filesystem store without holding it in memory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dbfork-data-'));
    roots.push(root);
    const catalog = new ObjectSnapshotCatalog(new FsObjectStore(root));
    const pending = await catalog.begin('big');
    const big = BSON.serialize({ _id: 0, pad: 'x'.repeat(1024 * 1024) });
    const before = process.memoryUsage().rss;
    let peak = before;
    const events = from(
      (function* () {
        for (const e of dump(96, () => big)) {
          peak = Math.max(peak, process.memoryUsage().rss);
          yield e;
        }
      })(),
    );
    const summary = await writeSnapshotData(pending, events, {
      format: 'archive',
      codecs: [],
      toolVersion: 't',
    });
    expect(summary.bytesWritten).toBeGreaterThan(192 * 1024 * 1024);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
    await catalog.abort(pending);
  });
});
