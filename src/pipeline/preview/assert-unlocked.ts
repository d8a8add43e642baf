import { PolicyError } from '../../errors/index.js';
import type { PreviewDatabases } from '../../target/preview-databases.js';

/**
 * Refuse to change a locked preview database: its `snapshot_metadata` holds the lock record.
 *
 * @throws PolicyError `PREVIEW_DATABASE_LOCKED` (no writes performed)
 */
export async function assertUnlocked(dbs: PreviewDatabases, db: string, what: string): Promise<void> {
  const { lock } = await dbs.records(db);
  if (!lock) return;
  throw new PolicyError(
    'PREVIEW_DATABASE_LOCKED',
    `${db} is locked (by ${lock.label} on PR #${lock.pr}): refusing to ${what} it`,
    {
      subject: { db, pr: lock.pr },
      hint: `remove the ${lock.label} label from PR #${lock.pr} (even when closed): that unlocks and, on a closed PR, drops it`,
      labels: ['noWritesPerformed'],
    },
  );
}
