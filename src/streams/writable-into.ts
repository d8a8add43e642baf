import { PassThrough, type Writable } from 'node:stream';

/** A Writable whose bytes go to a consumer that reads them as a stream, and the consumer's result. */
export interface WritableInto<T> {
  /** Write the bytes here and end it; destroy it to abort (the consumer then sees the error). */
  readonly stream: Writable;
  /** Settles when the consumer has taken everything (or failed); never rejects unhandled. */
  readonly done: Promise<T>;
}

/**
 * Bridge a push-style writer (which writes into a Writable and awaits `drain`) to a pull-style
 * consumer (which iterates an `AsyncIterable<Uint8Array>`, such as an object store's put). The two
 * meet in a PassThrough of `highWaterMark` bytes (default 256 KiB), so the writer is paced by the
 * consumer and memory holds at most that much. When the consumer fails, the stream is destroyed with
 * its error, so the writer stops instead of waiting for a drain that never comes.
 */
export function writableInto<T>(
  consume: (body: AsyncIterable<Uint8Array>) => Promise<T>,
  highWaterMark = 256 * 1024,
): WritableInto<T> {
  const pass = new PassThrough({ highWaterMark });
  const done = consume(pass).catch((error: unknown) => {
    pass.destroy(error as Error);
    throw error;
  });
  done.catch(() => undefined);
  return { stream: pass, done };
}
