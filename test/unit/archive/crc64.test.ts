import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Crc64, crc64, crc64Hex } from '../../../src/archive/crc64.js';

/** Bit-by-bit reference CRC-64/XZ over bigint (slow, obviously correct). */
function reference(bytes: Uint8Array): bigint {
  const poly = 0xc96c5795d7870f42n;
  let crc = 0xffffffffffffffffn;
  for (const byte of bytes) {
    crc ^= BigInt(byte);
    for (let i = 0; i < 8; i++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc ^ 0xffffffffffffffffn;
}

describe('CRC-64/XZ', () => {
  it('gives the catalogued check value for "123456789"', () => {
    expect(crc64(Buffer.from('123456789'))).toBe(0x995dc9bbdf1939fan);
    expect(new Crc64().update(Buffer.from('123456789')).digestHex()).toBe('995dc9bbdf1939fa');
  });

  it('gives 0 for empty input', () => {
    expect(crc64(new Uint8Array(0))).toBe(0n);
    expect(new Crc64().digestHex()).toBe('0000000000000000');
  });

  it('matches a bit-by-bit reference for every length 0..300 (covers the 8-byte loop and the tail)', () => {
    const data = createHash('sha512').update('seed').digest();
    const bytes = new Uint8Array(300).map((_, i) => (data[i % data.length] as number) ^ (i * 13));
    for (let n = 0; n <= 300; n++) expect(crc64(bytes.subarray(0, n))).toBe(reference(bytes.subarray(0, n)));
  });

  it('does not depend on how the input is split', () => {
    const bytes = new Uint8Array(1000).map((_, i) => (i * 7 + 3) & 0xff);
    const whole = crc64(bytes);
    for (const split of [1, 3, 8, 9, 64, 999]) {
      const crc = new Crc64();
      for (let i = 0; i < bytes.length; i += split) crc.update(bytes.subarray(i, i + split));
      expect(crc.digest()).toBe(whole);
    }
  });

  it('reproduces the EOF-header CRC of a real mongodump archive (test.bar, one 35-byte document)', () => {
    // from mongo-tools testdata test.bar.archive: the document and the CRC its EOF header stores
    const document = Buffer.from(
      '23000000075f69640058ffb124b721bc6c3234333c02666f6f00040000006261720000',
      'hex',
    );
    expect(document.length).toBe(35);
    expect(crc64Hex(crc64(document))).toBe('9369f0f35bec50d9');
  });

  it('formats as 16 lowercase hex digits, as unsigned', () => {
    expect(crc64Hex(1n)).toBe('0000000000000001');
    expect(crc64Hex(-1n)).toBe('ffffffffffffffff');
  });
});
