import { describe, expect, it } from 'vitest';
import { parseCount, parseFormat, parseReadPreference } from '../../../src/cli/option-groups.js';

describe('shared option groups', () => {
  it('takes counts in decimal digits only, at least the minimum', () => {
    expect(parseCount('4', '--parallel')).toBe(4);
    expect(parseCount('0', '--sample', 0)).toBe(0);
    for (const bad of ['0', '-1', '1.5', '0x10', '1e3', ' 3', ''])
      expect(() => parseCount(bad, '--parallel')).toThrow(
        expect.objectContaining({ code: 'CONFIG_BAD_OPTION' }),
      );
  });

  it('takes archive or directory for --format', () => {
    expect(parseFormat('directory')).toBe('directory');
    expect(() => parseFormat('tar')).toThrow(/--format must be archive or directory, got tar/);
  });

  it('takes only MongoDB read preference modes', () => {
    expect(parseReadPreference('nearest')).toBe('nearest');
    expect(() => parseReadPreference('secondaryOnly')).toThrow(
      expect.objectContaining({ code: 'CONFIG_BAD_OPTION' }),
    );
  });
});
