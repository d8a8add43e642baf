import { once } from 'node:events';
import { Transform, pipeline, type Writable } from 'node:stream';
import { createGzip } from 'node:zlib';

export interface ByteSinkOptions {
  /** Gzip everything written (one gzip member, default level, as `mongodump --gzip`). */
  readonly gzip?: boolean;
  /** Small writes are gathered into chunks of this many bytes before reaching the stream (default 256 KiB). */
  readonly chunkBytes?: number;
}

/**
 * Writes bytes to a Node Writable with backpressure: {@link ByteSink.write} resolves once the stream
 * can take more (it awaits `drain`), so the producer is paced by the disk or pipe. Optionally gzips
 * through a streaming `node:zlib` Gzip. Counts bytes before (`bytesIn`) and after (`bytesOut`) gzip.
 */
export class ByteSink {
  readonly #head: Writable;
  readonly #done: Promise<void>;
  readonly #chunkBytes: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #bytesIn = 0;
  #bytesOut = 0;
  #error: Error | undefined;

  constructor(output: Writable, options: ByteSinkOptions = {}) {
    this.#chunkBytes = options.chunkBytes ?? 256 * 1024;
    const counter = new Transform({
      transform: (chunk: Buffer, _enc, callback) => {
        this.#bytesOut += chunk.length;
        callback(null, chunk);
      },
    });
    const stages: Writable[] = options.gzip ? [createGzip(), counter] : [counter];
    this.#head = stages[0] as Writable;
    this.#done = new Promise<void>((resolve, reject) => {
      pipeline([...stages, output] as unknown as [Transform, Writable], (error) => {
        if (error) {
          this.#error ??= error;
          reject(error);
        } else resolve();
      });
    });
    this.#done.catch(() => undefined);
  }

  /** Bytes accepted so far (uncompressed). */
  get bytesIn(): number {
    return this.#bytesIn;
  }

  /** Bytes handed to the output so far (compressed size when gzipping). Final after {@link end}. */
  get bytesOut(): number {
    return this.#bytesOut;
  }

  /** Queue bytes; resolves when the stream has room again. The bytes must not change afterwards. */
  async write(bytes: Uint8Array): Promise<void> {
    if (this.#error) throw this.#error;
    this.#bytesIn += bytes.length;
    if (bytes.length >= this.#chunkBytes) {
      await this.#flush();
      await this.#push(bytes);
      return;
    }
    this.#pending.push(bytes);
    this.#pendingBytes += bytes.length;
    if (this.#pendingBytes >= this.#chunkBytes) await this.#flush();
  }

  /** Flush, end the stream (and the output) and wait until everything reached the output. */
  async end(): Promise<void> {
    await this.#flush();
    if (this.#error) throw this.#error;
    this.#head.end();
    await this.#done;
  }

  /** Abort: destroy the streams (the output is destroyed too). */
  destroy(error?: Error): void {
    this.#error ??= error ?? new Error('aborted');
    this.#head.destroy(this.#error);
  }

  async #flush(): Promise<void> {
    if (this.#pendingBytes === 0) return;
    const chunk =
      this.#pending.length === 1 ? (this.#pending[0] as Uint8Array) : Buffer.concat(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    await this.#push(chunk);
  }

  async #push(chunk: Uint8Array): Promise<void> {
    if (this.#head.write(chunk)) return;
    if (this.#error) throw this.#error;
    await Promise.race([once(this.#head, 'drain'), this.#done]);
    if (this.#error) throw this.#error;
  }
}
