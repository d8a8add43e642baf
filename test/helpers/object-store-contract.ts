import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isDbforkError } from '../../src/errors/index.js';
import type { ObjectStore } from '../../src/store/object-store.js';

/**
 * The behaviour every `ObjectStore` must have, as one suite to run against each implementation
 * (filesystem, memory; S3 and GCS run it too): atomic puts, streaming both ways, listing by prefix
 * with and without a delimiter, deletes, conditional puts, key checks.
 * `makeStore` returns a fresh, empty store for each test.
 */
export function objectStoreContract(label: string, makeStore: () => Promise<ObjectStore>): void {
  describe(`ObjectStore contract: ${label}`, () => {
    it('round-trips whole and streamed bodies, and head reports the size', async () => {
      const store = await makeStore();
      await store.put('a/text', 'hello\n');
      await store.put('a/bytes', new Uint8Array([0, 1, 2, 255]));
      const chunks = Array.from({ length: 50 }, (_, i) => Buffer.alloc(10_000, i));
      const info = await store.put('a/stream', Readable.from(chunks));
      expect(info).toMatchObject({ key: 'a/stream', size: 500_000 });
      expect((await read(store, 'a/text')).toString()).toBe('hello\n');
      expect([...(await read(store, 'a/bytes'))]).toEqual([0, 1, 2, 255]);
      expect((await read(store, 'a/stream')).equals(Buffer.concat(chunks))).toBe(true);
      expect(await store.head('a/stream')).toMatchObject({ key: 'a/stream', size: 500_000 });
      expect((await store.head('a/text'))?.modifiedAt).toBeInstanceOf(Date);
    });

    it('reports a missing object: head null, get STORE_OBJECT_NOT_FOUND', async () => {
      const store = await makeStore();
      expect(await store.head('nope')).toBeNull();
      await expect(store.get('no/such/key')).rejects.toMatchObject({ code: 'STORE_OBJECT_NOT_FOUND' });
    });

    it('replaces an object on put', async () => {
      const store = await makeStore();
      await store.put('k', 'one');
      await store.put('k', 'two, longer');
      expect((await read(store, 'k')).toString()).toBe('two, longer');
    });

    it('publishes nothing while a put is running, and nothing when its body fails', async () => {
      const store = await makeStore();
      await store.put('keep', 'old');
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let pulled = false;
      const body = (async function* () {
        yield Buffer.from('partial ');
        pulled = true;
        await gate;
        yield Buffer.from('rest');
      })();
      const running = store.put('new', body);
      await until(() => pulled);
      expect(await store.head('new')).toBeNull();
      expect((await store.list('')).objects.map((o) => o.key)).toEqual(['keep']);
      release();
      await running;
      expect((await read(store, 'new')).toString()).toBe('partial rest');

      const failure = new Error('source died');
      const failing = (async function* () {
        yield Buffer.from('half of it');
        throw failure;
      })();
      await expect(store.put('keep', failing)).rejects.toBe(failure);
      expect((await read(store, 'keep')).toString()).toBe('old');
      await expect(store.put('other/broken', failingBody(failure))).rejects.toBe(failure);
      expect(await store.head('other/broken')).toBeNull();
      expect((await store.list('', { delimiter: '/' })).prefixes).toEqual([]);
    });

    it('conditional put creates once and refuses to replace', async () => {
      const store = await makeStore();
      if (!store.conditionalPut) {
        await expect(store.put('c', 'x', { ifAbsent: true })).rejects.toMatchObject({
          code: 'STORE_UNSUPPORTED',
        });
        return;
      }
      await store.put('c/lease', 'first', { ifAbsent: true });
      await expect(store.put('c/lease', 'second', { ifAbsent: true })).rejects.toMatchObject({
        code: 'STORE_PRECONDITION_FAILED',
      });
      expect((await read(store, 'c/lease')).toString()).toBe('first');
      const results = await Promise.allSettled(
        ['x', 'y', 'z'].map((v) => store.put('c/race', v, { ifAbsent: true })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('lists by prefix in key order, recursively or one level with a delimiter', async () => {
      const store = await makeStore();
      const keys = ['n/2/m', 'n/1/d/x.bson', 'n/1/m', 'n/latest', 'n2/latest', 'o/z'];
      for (const key of keys) await store.put(key, key);
      const all = await store.list('');
      expect(all.objects.map((o) => o.key)).toEqual([...keys].sort());
      expect(all.prefixes).toEqual([]);
      expect((await store.list('n/')).objects.map((o) => o.key)).toEqual([
        'n/1/d/x.bson',
        'n/1/m',
        'n/2/m',
        'n/latest',
      ]);
      expect((await store.list('n')).objects).toHaveLength(5);
      expect((await store.list('n/1/d/x')).objects.map((o) => o.key)).toEqual(['n/1/d/x.bson']);
      expect((await store.list('n/1/m')).objects[0]).toMatchObject({ key: 'n/1/m', size: 5 });
      const top = await store.list('', { delimiter: '/' });
      expect(top).toEqual({ objects: [], prefixes: ['n/', 'n2/', 'o/'] });
      const one = await store.list('n/', { delimiter: '/' });
      expect(one.objects.map((o) => o.key)).toEqual(['n/latest']);
      expect(one.prefixes).toEqual(['n/1/', 'n/2/']);
      expect(await store.list('missing/')).toEqual({ objects: [], prefixes: [] });
    });

    it('deletes objects, and empty prefixes disappear from listings', async () => {
      const store = await makeStore();
      await store.put('a/b/c', '1');
      await store.put('a/d', '2');
      await store.delete('a/b/c');
      await store.delete('a/b/c');
      await store.delete('never/was');
      expect(await store.head('a/b/c')).toBeNull();
      expect(await store.list('a/', { delimiter: '/' })).toMatchObject({ prefixes: [] });
      expect((await store.list('')).objects.map((o) => o.key)).toEqual(['a/d']);
    });

    it('deletes a prefix and everything under it, not its siblings', async () => {
      const store = await makeStore();
      for (const key of ['s/1/m', 's/1/dump/db/c.bson', 's/10/m', 's/latest']) await store.put(key, 'x');
      await store.deletePrefix('s/1/');
      await store.deletePrefix('s/9/');
      expect((await store.list('')).objects.map((o) => o.key)).toEqual(['s/10/m', 's/latest']);
      await expect(store.deletePrefix('s/1')).rejects.toMatchObject({ code: 'STORE_BAD_KEY' });
    });

    it('refuses keys that are not relative paths', async () => {
      const store = await makeStore();
      for (const key of ['', '/abs', 'a//b', '../up', 'a/./b', 'a/..', 'trailing/', 'nul\0', 'back\\slash']) {
        const error = await store.put(key, 'x').then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(isDbforkError(error) && error.code, JSON.stringify(key)).toBe('STORE_BAD_KEY');
      }
      await expect(store.list('../')).rejects.toMatchObject({ code: 'STORE_BAD_KEY' });
    });

    it('streams a large object at the reader pace', async () => {
      const store = await makeStore();
      const mib = Buffer.alloc(1024 * 1024, 7);
      await store.put('big', Readable.from(Array.from({ length: 16 }, () => mib)));
      const stream = await store.get('big');
      const iterator = stream[Symbol.asyncIterator]();
      const first = await iterator.next();
      expect(first.done).toBe(false);
      await new Promise((r) => setTimeout(r, 20));
      // a paused reader holds a bounded buffer, not the object
      expect(stream.readableLength).toBeLessThan(4 * 1024 * 1024);
      let total = (first.value as Buffer).length;
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        total += (next.value as Buffer).length;
      }
      expect(total).toBe(16 * 1024 * 1024);
    });
  });
}

/** An object's bytes. */
export async function read(store: ObjectStore, key: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of await store.get(key)) parts.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(parts);
}

async function* failingBody(error: Error): AsyncGenerator<Uint8Array> {
  yield Buffer.from('x');
  throw error;
}

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i++) await new Promise((r) => setTimeout(r, 2));
  expect(condition()).toBe(true);
}
