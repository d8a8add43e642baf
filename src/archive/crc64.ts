/**
 * CRC-64/XZ (Go `hash/crc64` with `crc64.ECMA`): reflected polynomial 0xC96C5795D7870F42,
 * init = xorout = 0xFFFFFFFFFFFFFFFF. It is the checksum mongodump writes in each namespace's EOF
 * header (mongodump archive format, spec §6 in docs/archive-format.md). Check value: "123456789" → 0x995DC9BBDF1939FA;
 * empty input → 0.
 *
 * Implementation: slicing-by-8 with the 64-bit state held as two uint32 halves, so the hot loop is
 * plain 32-bit integer arithmetic (no bigint per byte). Measured 960–1085 MB/s (1 MB = 10^6 bytes) on one
 * core of the development machine (AMD EPYC, node 20.20), `npx tsx bench/archive-codec.ts`; see
 * docs/archive-format.md.
 */

const POLY_LO = 0xd7870f42;
const POLY_HI = 0xc96c5795;

/** Tables T0..T7, low and high 32-bit halves, index `k * 256 + byte`. */
const TABLE_LO = new Uint32Array(8 * 256);
const TABLE_HI = new Uint32Array(8 * 256);

(function buildTables(): void {
  for (let n = 0; n < 256; n++) {
    let lo = n;
    let hi = 0;
    for (let bit = 0; bit < 8; bit++) {
      const carry = lo & 1;
      lo = ((lo >>> 1) | (hi << 31)) >>> 0;
      hi = hi >>> 1;
      if (carry) {
        lo = (lo ^ POLY_LO) >>> 0;
        hi = (hi ^ POLY_HI) >>> 0;
      }
    }
    TABLE_LO[n] = lo;
    TABLE_HI[n] = hi;
  }
  for (let k = 1; k < 8; k++) {
    for (let n = 0; n < 256; n++) {
      const prevLo = TABLE_LO[(k - 1) * 256 + n] as number;
      const prevHi = TABLE_HI[(k - 1) * 256 + n] as number;
      const idx = prevLo & 0xff;
      TABLE_LO[k * 256 + n] = (((prevLo >>> 8) | (prevHi << 24)) ^ (TABLE_LO[idx] as number)) >>> 0;
      TABLE_HI[k * 256 + n] = ((prevHi >>> 8) ^ (TABLE_HI[idx] as number)) >>> 0;
    }
  }
})();

/**
 * Incremental CRC-64/XZ. Feed bytes with {@link Crc64.update} in any split; the result only depends
 * on the concatenation.
 *
 * @example
 * const crc = new Crc64();
 * crc.update(Buffer.from('12345')).update(Buffer.from('6789'));
 * crc.digest(); // 0x995dc9bbdf1939fan
 */
export class Crc64 {
  /** Running (pre-xorout) state, low and high halves. */
  #lo = 0xffffffff;
  #hi = 0xffffffff;

  /** Add bytes to the checksum. Returns `this` for chaining. */
  update(bytes: Uint8Array): this {
    let lo = this.#lo;
    let hi = this.#hi;
    const n = bytes.length;
    let i = 0;
    const end8 = n - (n & 7);
    const tl = TABLE_LO;
    const th = TABLE_HI;
    while (i < end8) {
      lo ^=
        (bytes[i] as number) |
        ((bytes[i + 1] as number) << 8) |
        ((bytes[i + 2] as number) << 16) |
        ((bytes[i + 3] as number) << 24);
      hi ^=
        (bytes[i + 4] as number) |
        ((bytes[i + 5] as number) << 8) |
        ((bytes[i + 6] as number) << 16) |
        ((bytes[i + 7] as number) << 24);
      const a = 7 * 256 + (lo & 0xff);
      const b = 6 * 256 + ((lo >>> 8) & 0xff);
      const c = 5 * 256 + ((lo >>> 16) & 0xff);
      const d = 4 * 256 + (lo >>> 24);
      const e = 3 * 256 + (hi & 0xff);
      const f = 2 * 256 + ((hi >>> 8) & 0xff);
      const g = 256 + ((hi >>> 16) & 0xff);
      const h = hi >>> 24;
      lo =
        (tl[a] as number) ^
        (tl[b] as number) ^
        (tl[c] as number) ^
        (tl[d] as number) ^
        (tl[e] as number) ^
        (tl[f] as number) ^
        (tl[g] as number) ^
        (tl[h] as number);
      hi =
        (th[a] as number) ^
        (th[b] as number) ^
        (th[c] as number) ^
        (th[d] as number) ^
        (th[e] as number) ^
        (th[f] as number) ^
        (th[g] as number) ^
        (th[h] as number);
      i += 8;
    }
    while (i < n) {
      const idx = (lo ^ (bytes[i] as number)) & 0xff;
      lo = ((lo >>> 8) | (hi << 24)) ^ (tl[idx] as number);
      hi = (hi >>> 8) ^ (th[idx] as number);
      i++;
    }
    this.#lo = lo >>> 0;
    this.#hi = hi >>> 0;
    return this;
  }

  /** The CRC of everything fed so far, as an unsigned 64-bit bigint. Does not reset the state. */
  digest(): bigint {
    return (BigInt(~this.#hi >>> 0) << 32n) | BigInt(~this.#lo >>> 0);
  }

  /** The CRC as 16 lowercase hex digits (the snapshot manifest's form). */
  digestHex(): string {
    return (~this.#hi >>> 0).toString(16).padStart(8, '0') + (~this.#lo >>> 0).toString(16).padStart(8, '0');
  }
}

/** CRC-64/XZ of one buffer, as an unsigned 64-bit bigint. */
export function crc64(bytes: Uint8Array): bigint {
  return new Crc64().update(bytes).digest();
}

/** Format a CRC as 16 lowercase hex digits. */
export function crc64Hex(value: bigint): string {
  return BigInt.asUintN(64, value).toString(16).padStart(16, '0');
}
