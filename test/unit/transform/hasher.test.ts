import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyedHasher } from '../../../src/transform/hasher.js';

/** The definition the engine's digests must equal: HMAC-SHA-256 over the tagged domain and input. */
function reference(key: Uint8Array, domain: string, input: Uint8Array, attempt: number): Buffer {
  const h = createHmac('sha256', key).update(`dbfork/v1\0${domain}\0`).update(input);
  if (attempt > 0) h.update(`\0${attempt}`);
  return h.digest();
}

describe('keyedHasher', () => {
  const keys = {
    'a 32-byte key': Buffer.alloc(32, 7),
    'a 64-byte key (one block)': Buffer.alloc(64, 9),
    'a 100-byte key (hashed first)': Buffer.from(Array.from({ length: 100 }, (_, i) => i)),
  };
  const inputs = [
    new Uint8Array(0),
    Buffer.from('ada@example.com'),
    Buffer.alloc(300, 0xab), // longer than the scratch buffer starts
    Buffer.alloc(5000, 0x01),
    Buffer.from('short again'),
  ];

  for (const [name, key] of Object.entries(keys)) {
    it(`equals createHmac byte for byte with ${name}, inputs of 0 to 5000 bytes, and attempts`, () => {
      const digest = keyedHasher(key).forDomain('rule:shop.users:email');
      for (const input of inputs)
        for (const attempt of [0, 1, 12])
          expect(digest(input, attempt).toString('hex')).toBe(
            reference(key, 'rule:shop.users:email', input, attempt).toString('hex'),
          );
    });
  }

  it('gives each call its own result buffer, and domains do not share output', () => {
    const hasher = keyedHasher(Buffer.alloc(32, 3));
    const a = hasher.forDomain('group:email');
    const first = a(Buffer.from('x'));
    const copy = Buffer.from(first);
    a(Buffer.from('y'));
    expect(first.equals(copy)).toBe(true);
    expect(hasher.forDomain('group:other')(Buffer.from('x')).equals(first)).toBe(false);
  });
});
