import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { CodecChain } from '../../../src/codec/codec-chain.js';

async function bytes(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of source) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

async function encode(chain: CodecChain, data: Buffer): Promise<Buffer> {
  const sink = new PassThrough();
  const collected = bytes(sink);
  const input = chain.encodeInto(sink);
  for (let i = 0; i < data.length; i += 1000) input.write(data.subarray(i, i + 1000));
  input.end();
  return collected;
}

describe('codec chain', () => {
  const data = Buffer.from('mongodump archive bytes '.repeat(5000));

  it('with no codecs stores bytes as they are, and adds no suffix', async () => {
    const chain = new CodecChain([]);
    expect(chain.suffix).toBe('');
    expect((await encode(chain, data)).equals(data)).toBe(true);
    expect((await bytes(chain.decode(Readable.from([data]), 'x'))).equals(data)).toBe(true);
  });

  it('gzip encodes as mongodump --gzip does (one gzip member, .gz) and decodes back', async () => {
    const chain = new CodecChain(['gzip']);
    expect(chain.suffix).toBe('.gz');
    const encoded = await encode(chain, data);
    expect([encoded[0], encoded[1]]).toEqual([0x1f, 0x8b]);
    expect(encoded.equals(gzipSync(data))).toBe(true);
    expect((await bytes(chain.decode(Readable.from([encoded]), 'x'))).equals(data)).toBe(true);
  });

  it('names a damaged or cut gzip stream as an archive error with the object and offset', async () => {
    const chain = new CodecChain(['gzip']);
    const encoded = gzipSync(data);
    const cut = encoded.subarray(0, encoded.length - 20);
    await expect(
      bytes(chain.decode(Readable.from([cut]), 'store/p/1/data.archive.gz')),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_TRUNCATED',
      subject: { file: 'store/p/1/data.archive.gz' },
    });
    const flipped = Buffer.from(encoded);
    flipped[40] = (flipped[40] ?? 0) ^ 0xff;
    await expect(bytes(chain.decode(Readable.from([flipped]), 'f'))).rejects.toMatchObject({
      category: 'archive',
    });
  });

  it('refuses a codec this release does not know', () => {
    expect(() => new CodecChain(['gzip', 'zstd'])).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_UNKNOWN_CODEC', category: 'store' }),
    );
  });
});
