import { Readable, pipeline } from 'node:stream';
import { createGunzip, createGzip } from 'node:zlib';
import { ArchiveError } from '../errors/index.js';
import type { ByteCodec } from './byte-codec.js';

/**
 * gzip, as `mongodump --gzip` writes it: one member at zlib's default level over the whole archive,
 * or over each file of a directory dump (`.gz` suffix). Decoding accepts multi-member streams.
 */
export const gzipCodec: ByteCodec = {
  name: 'gzip',
  suffix: '.gz',
  encoder: () => createGzip(),
  decode: gunzip,
};

/**
 * Gunzip a stream; failures are ArchiveErrors naming the object and the uncompressed offset:
 * `ARCHIVE_TRUNCATED` when the stream ends early, `ARCHIVE_BAD_GZIP` when it is corrupt.
 */
async function* gunzip(source: AsyncIterable<Uint8Array>, label: string): AsyncGenerator<Uint8Array> {
  const input = Readable.from(source, { objectMode: false });
  const decoder = createGunzip();
  const out = pipeline(input, decoder, () => undefined);
  let produced = 0;
  try {
    for await (const chunk of out as AsyncIterable<Buffer>) {
      produced += chunk.length;
      yield chunk;
    }
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (!e.code?.startsWith('Z_') && !/unexpected end of file/i.test(e.message)) throw error;
    const truncated = e.code === 'Z_BUF_ERROR' || /unexpected end of file/i.test(e.message);
    throw new ArchiveError(
      truncated ? 'ARCHIVE_TRUNCATED' : 'ARCHIVE_BAD_GZIP',
      truncated ? 'the gzip stream ends before its end marker' : `the gzip stream is corrupt: ${e.message}`,
      {
        subject: { file: label, offset: produced },
        hint: 'the snapshot is damaged or was cut short: take a new one, or restore an older snapshot',
        cause: error,
      },
    );
  } finally {
    input.destroy();
    decoder.destroy();
  }
}
