import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/store/fs/fs-object-store.js';
import { objectStoreContract } from '../../helpers/object-store-contract.js';

const roots: string[] = [];
function root(): string {
  const dir = mkdtempSync(join(tmpdir(), 'dbfork-objects-'));
  roots.push(dir);
  return dir;
}
afterAll(() => roots.splice(0).forEach((r) => rmSync(r, { recursive: true, force: true })));

objectStoreContract('filesystem', async () => new FsObjectStore(join(root(), 'store')));

describe('filesystem object store', () => {
  it('maps keys onto files and folders, private, with no temporary file left', async () => {
    const dir = root();
    const store = new FsObjectStore(dir);
    await store.put('prod/20260101T000000000Z-abcd/dump/shop/orders.bson', 'x');
    const folder = join(dir, 'prod', '20260101T000000000Z-abcd', 'dump', 'shop');
    expect(readdirSync(folder)).toEqual(['orders.bson']);
    expect(statSync(join(folder, 'orders.bson')).mode & 0o077).toBe(0);
    expect(statSync(folder).mode & 0o077).toBe(0);
  });

  it('does not list temporary files, and deletePrefix removes them', async () => {
    const dir = root();
    const store = new FsObjectStore(dir);
    await store.put('n/1/.lock', '{}');
    writeFileSync(join(dir, 'n', '1', '.dbfork-tmp-0123456789ab'), 'partial');
    mkdirSync(join(dir, 'n', '1', 'dump'));
    expect((await store.list('n/')).objects.map((o) => o.key)).toEqual(['n/1/.lock']);
    await store.deletePrefix('n/1/');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('writes a streamed body without holding it in memory', async () => {
    const store = new FsObjectStore(root());
    const mib = Buffer.alloc(1024 * 1024, 1);
    const before = process.memoryUsage().rss;
    let peak = before;
    const body = Readable.from(
      (function* () {
        for (let i = 0; i < 192; i++) {
          peak = Math.max(peak, process.memoryUsage().rss);
          yield mib;
        }
      })(),
    );
    expect((await store.put('big', body)).size).toBe(192 * 1024 * 1024);
    expect(peak - before).toBeLessThan(64 * 1024 * 1024);
  });
});
