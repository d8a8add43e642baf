/**
 * Merge async sources into one stream, running at most `concurrency` of them at once.
 *
 * Backpressure: each running source has at most one item pulled ahead, and the next item of a source
 * is requested only after the consumer took the previous one, so memory is bounded by
 * `concurrency` items (plus whatever each source buffers itself, e.g. one cursor batch).
 * Sources start in order as others finish. If any source throws, the merge throws that error and
 * closes every other running source (`return()`), as it does when the consumer stops early.
 *
 * @param sources - factories, called lazily when a slot frees up
 * @param concurrency - how many sources run at once (≥ 1)
 */
export async function* mergeBounded<T>(
  sources: Iterable<() => AsyncIterable<T>>,
  concurrency: number,
): AsyncGenerator<T> {
  type Pull = { readonly it: AsyncIterator<T>; readonly res: IteratorResult<T> };
  const queue = sources[Symbol.iterator]();
  const active = new Map<AsyncIterator<T>, Promise<Pull>>();
  const pull = (it: AsyncIterator<T>): Promise<Pull> => it.next().then((res) => ({ it, res }));
  const startNext = (): boolean => {
    const next = queue.next();
    if (next.done) return false;
    const it = next.value()[Symbol.asyncIterator]();
    active.set(it, pull(it));
    return true;
  };
  try {
    while (active.size < Math.max(1, concurrency) && startNext());
    while (active.size > 0) {
      const { it, res } = await Promise.race(active.values());
      if (res.done) {
        active.delete(it);
        startNext();
        continue;
      }
      yield res.value;
      active.set(it, pull(it));
    }
  } finally {
    for (const [it, pending] of active) {
      pending.catch(() => undefined);
      await it.return?.().catch(() => undefined);
    }
  }
}
