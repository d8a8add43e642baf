import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { GZIP_MAGIC } from './archive-constants.js';
import { archiveFailure, HINT_DAMAGED } from './archive-failure.js';
import { peekPrefix } from '../streams/peek-prefix.js';

/** A byte stream after gzip detection. */
export interface DecodedStream {
  /** True when the input started with the gzip magic 1F 8B and is being decompressed. */
  readonly gzip: boolean;
  /** The (decompressed) bytes, pulled with backpressure. */
  readonly chunks: AsyncIterable<Uint8Array>;
}

/**
 * Look at the first two bytes of `source`; when they are the gzip magic (1F 8B), decompress the whole
 * stream with a streaming `node:zlib` gunzip (multi-member gzip is accepted, as mongorestore's
 * `gzip.NewReader` does; spec §7), otherwise pass the bytes through untouched.
 *
 * @param label names the input in errors (`file` subject)
 * @throws ArchiveError `ARCHIVE_BAD_GZIP` (corrupt deflate data, bad trailer CRC) or `ARCHIVE_TRUNCATED`
 *   (gzip stream cut short), raised while iterating `chunks`; `offset` is the uncompressed byte offset
 */
export async function detectGzip(source: AsyncIterable<Uint8Array>, label?: string): Promise<DecodedStream> {
  const { head, chunks: raw } = await peekPrefix(source, 2);
  const gzip = head.length >= 2 && head[0] === GZIP_MAGIC[0] && head[1] === GZIP_MAGIC[1];
  if (!gzip) return { gzip: false, chunks: raw };

  async function* gunzipped(): AsyncGenerator<Uint8Array> {
    const gunzip = createGunzip();
    const input = Readable.from(raw, { objectMode: false });
    let produced = 0;
    const out = pipeline(input, gunzip, () => undefined);
    try {
      for await (const chunk of out as AsyncIterable<Buffer>) {
        produced += chunk.length;
        yield chunk;
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const truncated = code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((error as Error).message);
      throw archiveFailure(
        truncated ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_BAD_GZIP',
        truncated
          ? 'the gzip stream ends before its end marker'
          : `the gzip stream is corrupt: ${(error as Error).message}`,
        { ...(label === undefined ? {} : { file: label }), offset: produced },
        HINT_DAMAGED,
        error,
      );
    } finally {
      input.destroy();
      gunzip.destroy();
    }
  }
  return { gzip: true, chunks: gunzipped() };
}
