import { describe, expect, it } from 'vitest';
import type { DumpEvent, DumpRunEvent } from '../../../src/core/dump-event.js';
import { throttleReads, type ThrottleTimer } from '../../../src/source/read-throttle.js';

/** A fake clock: sleeping advances it instantly. */
function fakeTimer(): ThrottleTimer & { elapsed: () => number } {
  let t = 0;
  return {
    now: () => t,
    sleep: (ms) => {
      t += ms;
      return Promise.resolve();
    },
    elapsed: () => t,
  };
}

async function* docs(count: number, size: number): AsyncGenerator<DumpEvent> {
  const ns = { db: 'd', collection: 'c' } as unknown as DumpEvent extends { namespace: infer N } ? N : never;
  for (let i = 0; i < count; i += 1) yield { type: 'document', namespace: ns, bson: new Uint8Array(size) };
}

async function drain(events: AsyncIterable<DumpEvent>): Promise<number> {
  let n = 0;
  for await (const _ of events) n += 1;
  return n;
}

describe('throttleReads', () => {
  it('keeps the rate within 10% over a long read (fake clock)', async () => {
    const timer = fakeTimer();
    // 10 MB at 1 MB/s: the first second is the burst, so about 9 s of waiting
    const n = await drain(throttleReads(docs(1000, 10_000), 1_000_000, timer));
    expect(n).toBe(1000);
    expect(timer.elapsed()).toBeGreaterThan(9_000 * 0.9);
    expect(timer.elapsed()).toBeLessThan(10_000 * 1.1);
  });

  it('bounds the burst to one second of rate after an idle period', async () => {
    const timer = fakeTimer();
    let pulled = 0;
    async function* slowThenFast(): AsyncGenerator<DumpEvent> {
      for await (const d of docs(1, 1000)) yield d;
      await timer.sleep(60_000); // a long idle time must not bank more than 1 s of tokens
      for await (const d of docs(300, 10_000)) {
        pulled += 1;
        yield d;
      }
    }
    const start = 60_000;
    const seen: number[] = [];
    for await (const _ of throttleReads(slowThenFast(), 1_000_000, timer)) seen.push(timer.elapsed());
    expect(pulled).toBe(300);
    // 3 MB after the idle minute: at most 1 MB free, so at least ~2 s of waiting
    expect(timer.elapsed() - start).toBeGreaterThan(1_900);
    expect(timer.elapsed() - start).toBeLessThan(2_200);
  });

  it('applies backpressure: the source is not pulled while the bucket is empty', async () => {
    const timer = fakeTimer();
    let pulled = 0;
    async function* counted(): AsyncGenerator<DumpEvent> {
      for await (const d of docs(50, 100_000)) {
        pulled += 1;
        yield d;
      }
    }
    const it = throttleReads(counted(), 100_000, timer)[Symbol.asyncIterator]();
    for (let i = 0; i < 10; i += 1) {
      await it.next();
      // never more than the one document in hand has been read from the source
      expect(pulled).toBe(i + 1);
    }
    // 10 documents of 100 kB at 100 kB/s: 1 s of burst, then ~1 s per document
    expect(timer.elapsed()).toBeGreaterThanOrEqual(8_000);
    await it.return?.(undefined);
  });

  it('passes preludes and ends without cost', async () => {
    const timer = fakeTimer();
    const ns = { db: 'd', collection: 'c' } as never;
    const events: DumpEvent[] = [
      { type: 'prelude', serverVersion: '', toolVersion: '', concurrentCollections: 1, collections: [] },
      { type: 'end', namespace: ns },
    ];
    async function* list(): AsyncGenerator<DumpEvent> {
      yield* events;
    }
    expect(await drain(throttleReads(list(), 1, timer))).toBe(2);
    expect(timer.elapsed()).toBe(0);
  });
});

describe('throttleReads with runs of documents', () => {
  it('pays for all the bytes of a run and passes it on whole', async () => {
    const timer = fakeTimer();
    const ns = { db: 'd', collection: 'c' };
    async function* runs(): AsyncGenerator<DumpRunEvent> {
      for (let i = 0; i < 10; i += 1)
        yield { type: 'documents', namespace: ns, bson: new Uint8Array(1000), count: 4 };
    }
    const seen: string[] = [];
    for await (const event of throttleReads(runs(), 1000, timer)) seen.push(event.type);
    expect(seen).toEqual(Array(10).fill('documents'));
    // 10 000 bytes at 1000 bytes/s with one second of burst: about 9 seconds
    expect(timer.elapsed()).toBeGreaterThanOrEqual(8900);
    expect(timer.elapsed()).toBeLessThanOrEqual(9100);
  });
});
