import { describe, expect, it } from 'vitest';
import { mergeBounded } from '../../../src/streams/merge-bounded.js';

async function* counted(
  name: string,
  n: number,
  active: { now: number; max: number },
): AsyncGenerator<string> {
  active.now++;
  active.max = Math.max(active.max, active.now);
  try {
    for (let i = 0; i < n; i++) {
      await new Promise((r) => setTimeout(r, 1));
      yield `${name}${i}`;
    }
  } finally {
    active.now--;
  }
}

describe('mergeBounded', () => {
  it('yields every item of every source, with at most `concurrency` sources running', async () => {
    const active = { now: 0, max: 0 };
    const sources = ['a', 'b', 'c', 'd', 'e'].map((name) => () => counted(name, 20, active));
    const out: string[] = [];
    for await (const item of mergeBounded(sources, 2)) out.push(item);
    expect(out).toHaveLength(100);
    expect(new Set(out).size).toBe(100);
    expect(active.max).toBe(2);
    // order within one source is kept
    const a = out.filter((x) => x.startsWith('a'));
    expect(a).toEqual(Array.from({ length: 20 }, (_, i) => `a${i}`));
  });

  it('pulls ahead at most one item per running source (backpressure)', async () => {
    let produced = 0;
    async function* endless(): AsyncGenerator<number> {
      for (let i = 0; ; i++) {
        produced++;
        yield i;
      }
    }
    const merged = mergeBounded([endless, endless, endless], 3);
    for (let i = 0; i < 10; i++) await merged.next();
    await new Promise((r) => setTimeout(r, 20));
    expect(produced).toBeLessThanOrEqual(10 + 3);
    await merged.return(undefined);
  });

  it('fails with the first error and closes the other sources', async () => {
    const active = { now: 0, max: 0 };
    async function* failing(): AsyncGenerator<string> {
      yield 'x';
      throw new Error('boom');
    }
    const run = async (): Promise<void> => {
      for await (const _ of mergeBounded([() => counted('a', 1000, active), failing], 2)) void _;
    };
    await expect(run()).rejects.toThrow('boom');
    expect(active.now).toBe(0);
  });
});
