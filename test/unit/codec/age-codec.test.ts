import { PassThrough, Readable } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { CodecChain } from '../../../src/codec/codec-chain.js';

async function encode(chain: CodecChain, plain: Buffer): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const ended = new Promise((resolve) => out.on('end', resolve));
  chain.encodeInto(out).end(plain);
  await ended;
  return Buffer.concat(chunks);
}

async function decode(chain: CodecChain, stored: Buffer): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of chain.decode(Readable.from([stored]), 'data.archive.gz.age')) chunks.push(chunk);
  return Buffer.concat(chunks);
}

describe('age codec', () => {
  let identity = '';
  let recipient = '';
  // several 64 KiB age chunks, so tampering is found in a middle chunk, after plaintext was produced
  const plain = Buffer.alloc(300_000, 'confidential customer ');

  beforeAll(async () => {
    identity = await generateX25519Identity();
    recipient = await identityToRecipient(identity);
  });

  it('round-trips through gzip then age, and the ciphertext holds no plaintext', async () => {
    const chain = new CodecChain(['gzip', 'age'], { recipients: [recipient], identities: [identity] });
    expect(chain.suffix).toBe('.gz.age');
    expect(chain.encrypted).toBe(true);
    const stored = await encode(chain, plain);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(stored.includes(Buffer.from('confidential'))).toBe(false);
    expect((await decode(chain, stored)).equals(plain)).toBe(true);
  });

  it('a wrong identity fails with DECRYPTION_WRONG_IDENTITY before any plaintext', async () => {
    const stored = await encode(new CodecChain(['age'], { recipients: [recipient] }), plain);
    const other = new CodecChain(['age'], { identities: [await generateX25519Identity()] });
    await expect(decode(other, stored)).rejects.toMatchObject({
      code: 'DECRYPTION_WRONG_IDENTITY',
      category: 'store',
    });
  });

  it('a flipped byte in a middle chunk fails with DECRYPTION_FAILED', async () => {
    const chain = new CodecChain(['age'], { recipients: [recipient], identities: [identity] });
    const stored = await encode(chain, plain);
    const at = stored.length - 100_000;
    stored[at] = (stored[at] ?? 0) ^ 0x01;
    await expect(decode(chain, stored)).rejects.toMatchObject({ code: 'DECRYPTION_FAILED' });
  });

  it('a truncated object fails with DECRYPTION_FAILED', async () => {
    const chain = new CodecChain(['age'], { recipients: [recipient], identities: [identity] });
    const stored = await encode(chain, plain);
    await expect(decode(chain, stored.subarray(0, stored.length - 1000))).rejects.toMatchObject({
      code: 'DECRYPTION_FAILED',
    });
  });

  it('needs a recipient to encode and an identity to decode (usage errors)', async () => {
    expect(() => new CodecChain(['age']).encodeInto(new PassThrough())).toThrow(
      expect.objectContaining({ code: 'ENCRYPTION_RECIPIENT_REQUIRED', category: 'usage' }),
    );
    expect(() => new CodecChain(['age'], { recipients: ['age1nope'] }).encodeInto(new PassThrough())).toThrow(
      expect.objectContaining({ code: 'ENCRYPTION_BAD_RECIPIENT' }),
    );
    const stored = await encode(new CodecChain(['age'], { recipients: [recipient] }), plain);
    await expect(decode(new CodecChain(['age']), stored)).rejects.toMatchObject({
      code: 'DECRYPTION_IDENTITY_REQUIRED',
    });
  });
});
