import { describe, expect, it } from 'vitest';
import { formatBackupRef, parseBackupRef } from '../../../src/pipeline/backup/resolve-backup.js';

describe('backup references', () => {
  it('reads ids, latest and daily markers, with or without --name', () => {
    expect(parseBackupRef('shop@20261122T020000000Z-9f3a')).toEqual({
      name: 'shop',
      pick: { id: '20261122T020000000Z-9f3a' },
    });
    expect(parseBackupRef('shop@latest')).toEqual({ name: 'shop', pick: { latest: true } });
    expect(parseBackupRef('latest', 'shop')).toEqual({ name: 'shop', pick: { latest: true } });
    expect(parseBackupRef('daily/2026-11-22', 'shop')).toEqual({
      name: 'shop',
      pick: { daily: '2026-11-22' },
    });
    expect(formatBackupRef(parseBackupRef('shop@daily/2026-11-22'))).toBe('shop@daily/2026-11-22');
  });

  it('refuses what names no backup', () => {
    for (const [text, name] of [
      ['latest', undefined],
      ['daily/2026-13-40', 'shop'],
      ['daily/yesterday', 'shop'],
      ['20261122T020000000Z-9f3a', 'shop'],
      ['../x@latest', undefined],
    ] as const)
      expect(() => parseBackupRef(text, name), text).toThrow(
        expect.objectContaining({ code: 'SNAPSHOT_BAD_REF' }),
      );
  });
});
