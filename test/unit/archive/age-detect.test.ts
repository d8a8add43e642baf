import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AGE_HEADER, decryptIfAge } from '../../../src/archive/age-detect.js';

async function collect(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of source) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** The bytes split into 3-byte chunks, so detection must gather its prefix across chunks. */
function chunked(bytes: Buffer): AsyncIterable<Uint8Array> {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 3) parts.push(bytes.subarray(i, i + 3));
  return Readable.from(parts);
}

describe('decryptIfAge', () => {
  it('passes bytes that do not start with the age header through untouched, without calling decrypt', async () => {
    const bytes = Buffer.from('\x6d\xe2\x99\x81 an archive, not encrypted', 'latin1');
    let called = false;
    const out = await collect(
      decryptIfAge(chunked(bytes), 'x', () => {
        called = true;
        return Readable.from([]);
      }),
    );
    expect(out.equals(bytes)).toBe(true);
    expect(called).toBe(false);
  });

  it('hands an age file, header included, to decrypt', async () => {
    const bytes = Buffer.concat([Buffer.from(AGE_HEADER), Buffer.from('-> X25519 stanza…')]);
    const seen: Buffer[] = [];
    const out = await collect(
      decryptIfAge(chunked(bytes), 'f.age', async function* (source, label) {
        seen.push(await collect(source));
        yield Buffer.from(`plain of ${label}`);
      }),
    );
    expect(seen[0]?.equals(bytes)).toBe(true);
    expect(out.toString()).toBe('plain of f.age');
  });

  it('an age file without a decrypter is DECRYPTION_IDENTITY_REQUIRED naming the file', async () => {
    const bytes = Buffer.concat([Buffer.from(AGE_HEADER), Buffer.alloc(100)]);
    await expect(collect(decryptIfAge(chunked(bytes), 'dump.age', undefined))).rejects.toMatchObject({
      code: 'DECRYPTION_IDENTITY_REQUIRED',
      category: 'usage',
      subject: { file: 'dump.age' },
    });
  });

  it('short and empty inputs pass through (the archive reader reports them)', async () => {
    expect((await collect(decryptIfAge(chunked(Buffer.from('age')), 'x', undefined))).toString()).toBe('age');
    expect((await collect(decryptIfAge(Readable.from([]), 'x', undefined))).length).toBe(0);
  });
});
