import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { keyedHasher } from '../../../src/transform/hasher.js';
import { Sha256, sha256 } from '../../../src/transform/sha256.js';

const bytes = (n: number, seed: number) =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 131 + seed * 17 + (i >> 3)) & 0xff));

describe('sha256 (plain JavaScript)', () => {
  it('equals node:crypto for every length 0..300 (padding across block boundaries)', () => {
    for (let n = 0; n <= 300; n++) {
      const data = bytes(n, n);
      expect(sha256(data).toString('hex')).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('equals node:crypto when fed in pieces, byte by byte, and after fork/reset', () => {
    for (const n of [1, 55, 56, 63, 64, 65, 127, 128, 1000]) {
      const data = bytes(n, 7);
      const h = new Sha256();
      let i = 0;
      for (const piece of [3, 61, 1, 64, 200]) {
        h.update(data.subarray(i, Math.min(n, i + piece)));
        i = Math.min(n, i + piece);
      }
      const fork = h.fork();
      for (; i < n; i++) h.byte(data[i]!);
      const expected = createHash('sha256').update(data).digest('hex');
      expect(h.digest().toString('hex')).toBe(expected);
      fork.update(data.subarray(fork.length));
      expect(new Sha256().reset(fork).digest().toString('hex')).toBe(expected);
    }
  });
});

describe('keyedHasher', () => {
  it('is HMAC-SHA-256 over "dbfork/v1" 0 <domain> 0 <input> (0 <attempt>), short and long keys', () => {
    for (const key of [Buffer.from('bench-key-0123456789abcdef'), bytes(64, 1), bytes(100, 2)]) {
      const hasher = keyedHasher(key);
      for (const domain of ['group:email', `rule:${'x'.repeat(80)}:a.b`]) {
        const digest = hasher.forDomain(domain);
        for (const n of [0, 1, 20, 63, 64, 200]) {
          const input = bytes(n, n + 3);
          for (const attempt of [0, 1, 12, 63]) {
            const hmac = createHmac('sha256', key).update(`dbfork/v1\0${domain}\0`).update(input);
            if (attempt > 0) hmac.update(`\0${attempt}`);
            expect(digest(input, attempt).toString('hex')).toBe(hmac.digest('hex'));
          }
        }
      }
    }
  });
});
