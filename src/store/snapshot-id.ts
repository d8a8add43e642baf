import { randomBytes } from 'node:crypto';

/**
 * A new snapshot id: the UTC start time to the millisecond plus 4 random hex digits,
 * e.g. `20261122T032900123Z-9f3a`. Ids sort lexicographically in time order.
 */
export function newSnapshotId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

const ID = /^\d{8}T\d{9}Z-[0-9a-f]{4}$/;

export function isSnapshotId(text: string): boolean {
  return ID.test(text);
}

/**
 * Snapshot names become folder names: keep them to a safe alphabet. `audit` is reserved: the audit
 * trail's records live under `audit/` in the same store.
 */
export const SNAPSHOT_NAME = /^(?!audit$)[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
