/**
 * SHA-256 (FIPS 180-4) in plain JavaScript, for the engine's hot path: HMACs of short inputs, where
 * a call into node:crypto (a `Hash` object per copy, a Buffer per digest) costs more than the hashing
 * itself. Produces exactly the bytes of `createHash('sha256')` (test/unit/transform/sha256.test.ts
 * compares them). Not constant-time with respect to input lengths, like any SHA-256; no secret-
 * dependent branches or table lookups.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

/** The initial hash value H(0). */
export const SHA256_IV: Readonly<Int32Array> = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

/** Process one 64-byte block of `block` at `offset` into `state` (8 words), in place. */
export function compress(state: Int32Array, block: Uint8Array, offset: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] =
      ((block[j] as number) << 24) |
      ((block[j + 1] as number) << 16) |
      ((block[j + 2] as number) << 8) |
      (block[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15] as number;
    const y = w[i - 2] as number;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/**
 * An incremental SHA-256 that can be snapshotted: `fork()` gives an independent copy of the state
 * (the pure-JS counterpart of `Hash.copy()`). Reuse one with `reset(from)` to avoid allocations.
 */
export class Sha256 {
  readonly state = new Int32Array(8);
  readonly buffer = new Uint8Array(64);
  /** Bytes in `buffer`. */
  used = 0;
  /** Total bytes hashed. */
  length = 0;

  constructor(from?: Sha256) {
    if (from) this.reset(from);
    else this.state.set(SHA256_IV);
  }

  /** Become a copy of `from`. */
  reset(from: Sha256): this {
    this.state.set(from.state);
    if (from.used > 0) this.buffer.set(from.buffer.subarray(0, from.used));
    this.used = from.used;
    this.length = from.length;
    return this;
  }

  fork(): Sha256 {
    return new Sha256(this);
  }

  update(data: Uint8Array): this {
    const n = data.length;
    this.length += n;
    let i = 0;
    if (this.used > 0) {
      const take = Math.min(64 - this.used, n);
      for (let k = 0; k < take; k++) this.buffer[this.used + k] = data[k] as number;
      this.used += take;
      i = take;
      if (this.used < 64) return this;
      compress(this.state, this.buffer, 0);
      this.used = 0;
    }
    for (; i + 64 <= n; i += 64) compress(this.state, data, i);
    for (let k = i; k < n; k++) this.buffer[k - i] = data[k] as number;
    this.used = n - i;
    return this;
  }

  /** Feed one byte. */
  byte(value: number): this {
    this.length++;
    this.buffer[this.used++] = value;
    if (this.used === 64) {
      compress(this.state, this.buffer, 0);
      this.used = 0;
    }
    return this;
  }

  /** Finish into `out` at `offset` (32 bytes). The instance must be reset before reuse. */
  digestInto(out: Uint8Array, offset = 0): void {
    const bits = this.length * 8;
    const buffer = this.buffer;
    let used = this.used;
    buffer[used++] = 0x80;
    if (used > 56) {
      buffer.fill(0, used, 64);
      compress(this.state, buffer, 0);
      used = 0;
    }
    buffer.fill(0, used, 56);
    const high = Math.floor(bits / 0x100000000);
    buffer[56] = high >>> 24;
    buffer[57] = high >>> 16;
    buffer[58] = high >>> 8;
    buffer[59] = high;
    buffer[60] = bits >>> 24;
    buffer[61] = bits >>> 16;
    buffer[62] = bits >>> 8;
    buffer[63] = bits;
    compress(this.state, buffer, 0);
    writeState(this.state, out, offset);
  }

  /** Finish into a new 32-byte Buffer. */
  digest(): Buffer {
    const out = Buffer.allocUnsafe(32);
    this.digestInto(out);
    return out;
  }
}

function writeState(state: Int32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < 8; i++) {
    const v = state[i] as number;
    const j = offset + i * 4;
    out[j] = v >>> 24;
    out[j + 1] = v >>> 16;
    out[j + 2] = v >>> 8;
    out[j + 3] = v;
  }
}

/** SHA-256 of one byte string. */
export function sha256(data: Uint8Array): Buffer {
  return new Sha256().update(data).digest();
}
