import type { DumpRunEvent } from '../core/dump-event.js';

/** The time a throttle reads and waits on (milliseconds); injected so tests need no real waiting. */
export interface ThrottleTimer {
  /** Monotonic milliseconds. */
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

/** Real time: `performance.now()` and `setTimeout`. */
export const REAL_TIMER: ThrottleTimer = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Limit how fast a capture reads from the source (`--max-read-rate`): a token bucket over the BSON
 * bytes of the documents, refilled at `bytesPerSecond`, holding at most one second of rate (the
 * burst). When the bucket runs dry the stream waits before pulling the next event, so the source's
 * cursor is not read further (backpressure) and nothing is buffered beyond the one document in hand.
 * Preludes and ends pass freely; a run of documents pays for all its bytes at once. The stream comes
 * out as it went in (plain events stay plain events).
 *
 * @param bytesPerSecond a positive rate
 */
export async function* throttleReads<E extends DumpRunEvent>(
  events: AsyncIterable<E>,
  bytesPerSecond: number,
  timer: ThrottleTimer = REAL_TIMER,
): AsyncGenerator<E> {
  let tokens = bytesPerSecond;
  let last = timer.now();
  const refill = (): void => {
    const now = timer.now();
    tokens = Math.min(bytesPerSecond, tokens + ((now - last) * bytesPerSecond) / 1000);
    last = now;
  };
  for await (const event of events) {
    yield event;
    if (event.type !== 'document' && event.type !== 'documents') continue;
    // the document was read: pay for it, waiting until the debt is refilled before the next pull
    refill();
    tokens -= event.bson.byteLength;
    if (tokens < 0) {
      await timer.sleep((-tokens * 1000) / bytesPerSecond);
      refill();
    }
  }
}
