import { describe, expect, it } from 'vitest';
import { collectionsToDrop } from '../../../src/restore/replace-drops.js';

describe('collectionsToDrop (restore --replace)', () => {
  it('drops what the restore did not bring, never system.* or dbfork bookkeeping', () => {
    expect(
      collectionsToDrop(
        [
          'users',
          'legacy',
          'system.views',
          'snapshot_metadata',
          '__dbfork_restore_journal',
          '__dbfork_old_ab12cd34_users',
          'audit_view',
          'orders',
        ],
        ['orders', 'users'],
      ),
    ).toEqual(['audit_view', 'legacy']);
  });

  it('drops nothing when the target holds only what was restored', () => {
    expect(collectionsToDrop(['a', 'b', 'snapshot_metadata'], ['b', 'a'])).toEqual([]);
  });
});
