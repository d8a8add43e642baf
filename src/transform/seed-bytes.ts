import { createHash } from 'node:crypto';

/**
 * Stretch a 32-byte keyed digest to `n` bytes: the digest itself, then SHA-256(digest ‖ i) for
 * i = 1, 2, … (a counter-mode expansion; the keyed digest is already secret-dependent).
 */
export function expandSeed(seed: Buffer, n: number): Buffer {
  if (n <= seed.length) return seed.subarray(0, n);
  const blocks = [seed];
  let total = seed.length;
  for (let i = 1; total < n; i++) {
    const block = createHash('sha256')
      .update(seed)
      .update(Buffer.from([i & 0xff, (i >>> 8) & 0xff]))
      .digest();
    blocks.push(block);
    total += block.length;
  }
  return Buffer.concat(blocks).subarray(0, n);
}

/** A uniform number in [0, 1) from the first 6 bytes (48 bits) of a seed at `offset`. */
export function unitFromSeed(seed: Buffer, offset = 0): number {
  return seed.readUIntBE(offset, 6) / 2 ** 48;
}

/** Lowercase hex of the first `length` hex characters of a seed (stretched when longer than 64). */
export function hexFromSeed(seed: Buffer, length: number): string {
  return expandSeed(seed, Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}
