import { createHash } from 'node:crypto';

/**
 * A uniformly random permutation of `0 … n-1` drawn from a secret seed: Fisher–Yates (Durstenfeld's
 * in-place form, Knuth TAOCP vol. 2 §3.4.2 Algorithm P) fed by the counter-mode stream
 * SHA-256(seed ‖ uint32be(i)), i = 0, 1, …, read 4 bytes at a time. Each index is drawn by rejection
 * sampling, so every permutation is exactly equally likely; the same seed gives the same permutation.
 *
 * @param seed the keyed digest (32 bytes; any length works)
 * @param n the number of elements, 0 … 2³²-1
 * @returns `p` with `p[i]` = the position whose element moves to position `i`
 */
export function keyedPermutation(seed: Uint8Array, n: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const next = uint32Stream(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = below(next, i + 1);
    const t = p[i] ?? 0;
    p[i] = p[j] ?? 0;
    p[j] = t;
  }
  return p;
}

/** A uniform integer in [0, bound) by rejection of the incomplete top range. */
function below(next: () => number, bound: number): number {
  const limit = 2 ** 32 - (2 ** 32 % bound);
  for (;;) {
    const x = next();
    if (x < limit) return x % bound;
  }
}

function uint32Stream(seed: Uint8Array): () => number {
  let block = Buffer.alloc(0);
  let offset = 0;
  let counter = 0;
  return () => {
    if (offset + 4 > block.length) {
      const c = Buffer.alloc(4);
      c.writeUInt32BE(counter++ >>> 0);
      block = createHash('sha256').update(seed).update(c).digest();
      offset = 0;
    }
    const x = block.readUInt32BE(offset);
    offset += 4;
    return x;
  };
}
