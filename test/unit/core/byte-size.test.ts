import { describe, expect, it } from 'vitest';
import { parseByteSize } from '../../../src/core/byte-size.js';

describe('parseByteSize', () => {
  it('reads bytes, decimal and binary units', () => {
    expect(parseByteSize('2000000')).toBe(2_000_000);
    expect(parseByteSize('20MB')).toBe(20_000_000);
    expect(parseByteSize('512KiB')).toBe(524_288);
    expect(parseByteSize('1.5 GiB')).toBe(1_610_612_736);
    expect(parseByteSize('3kb')).toBe(3000);
  });

  it('refuses what is no positive size', () => {
    for (const bad of ['', 'fast', '0', '10XB', '-5MB', '0.1']) {
      expect(() => parseByteSize(bad, '--max-read-rate')).toThrow(
        /--max-read-rate is not a positive byte size/,
      );
    }
  });
});
