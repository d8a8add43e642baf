import type { EbsSnapshot } from './ebs-port.js';
import { TAG_RUN } from './ebs-tags.js';

/**
 * Oldest first: by start time, then by the run that took it (run ids are time-ordered to the
 * millisecond, and some EC2 endpoints report start times to the second only), then by id.
 */
function byAge(a: EbsSnapshot, b: EbsSnapshot): number {
  return (
    a.startedAt.localeCompare(b.startedAt) ||
    (a.tags[TAG_RUN] ?? '').localeCompare(b.tags[TAG_RUN] ?? '') ||
    a.id.localeCompare(b.id)
  );
}

/**
 * Which snapshots of one hidden member's volume to delete so that at most `keep` completed ones remain
 * once this run's snapshot (not in `existing`) is added: the newest `keep - 1` completed snapshots stay,
 * older completed ones and failed ones (`error`) go, pending ones (another run's) stay. The newest
 * completed snapshot is never among them, whatever `keep` is.
 *
 * @param existing the snapshots found by tag before this run
 * @param keep how many completed snapshots to keep, this run's included (at least 1)
 * @returns the ids to delete, oldest first
 */
export function snapshotsToPrune(existing: readonly EbsSnapshot[], keep: number): string[] {
  const completed = existing.filter((s) => s.state === 'completed').sort((a, b) => byAge(b, a));
  const kept = new Set(completed.slice(0, Math.max(1, keep - 1)).map((s) => s.id));
  return existing
    .filter((s) => (s.state === 'completed' && !kept.has(s.id)) || s.state === 'error')
    .sort(byAge)
    .map((s) => s.id);
}

/** The newest completed snapshot, which retention never deletes. */
export function newestCompleted(snapshots: readonly EbsSnapshot[]): EbsSnapshot | undefined {
  return snapshots.filter((s) => s.state === 'completed').sort((a, b) => byAge(b, a))[0];
}
