/**
 * Retention: which snapshots to keep, as restic and borg decide it. Pure: no I/O.
 *
 * Walking the complete snapshots newest first:
 * - `last`: the N newest are kept;
 * - `daily` / `weekly` / `monthly`: the newest snapshot of each of the N most recent UTC days,
 *   ISO weeks (Monday-based) or calendar months that have a snapshot is kept;
 * - `latest` (the id the pointer names) is always kept, whatever the policy.
 * Everything else goes. A common choice is `{ daily: 7, weekly: 4 }`. Counts are whole numbers ≥ 0.
 */
export interface RetentionPolicy {
  readonly last?: number;
  readonly daily?: number;
  readonly weekly?: number;
  readonly monthly?: number;
}

export interface RetentionCandidate {
  readonly id: string;
  /** ISO 8601 creation time. */
  readonly createdAt: string;
}

export interface RetentionDecision {
  readonly id: string;
  readonly keep: boolean;
  /** Why it is kept (`last`, `daily 2026-11-20`, `latest`, …); empty when it goes. */
  readonly reasons: string[];
}

type Bucket = 'daily' | 'weekly' | 'monthly';

/**
 * Decide, for each candidate, whether the policy keeps it. Pure; never throws.
 *
 * @param candidates complete snapshots with their ISO 8601 `createdAt`
 * @param latestId the id `latest` names (always kept), or null
 * @returns one decision per candidate, newest first, with the reasons it is kept (empty when it goes)
 */
export function applyRetention(
  candidates: readonly RetentionCandidate[],
  policy: RetentionPolicy,
  latestId: string | null,
): RetentionDecision[] {
  const sorted = [...candidates].sort(
    (a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id),
  );
  const seen: Record<Bucket, Set<string>> = { daily: new Set(), weekly: new Set(), monthly: new Set() };
  return sorted.map((snapshot, index) => {
    const reasons: string[] = [];
    if (snapshot.id === latestId) reasons.push('latest');
    if (index < (policy.last ?? 0)) reasons.push('last');
    const at = new Date(snapshot.createdAt);
    for (const bucket of ['daily', 'weekly', 'monthly'] as const) {
      const limit = policy[bucket] ?? 0;
      const key = bucketKey(bucket, at);
      if (!seen[bucket].has(key) && seen[bucket].size < limit) {
        seen[bucket].add(key);
        reasons.push(`${bucket} ${key}`);
      }
    }
    return { id: snapshot.id, keep: reasons.length > 0, reasons };
  });
}

function bucketKey(bucket: Bucket, at: Date): string {
  const iso = at.toISOString();
  if (bucket === 'daily') return iso.slice(0, 10);
  if (bucket === 'monthly') return iso.slice(0, 7);
  return isoWeek(at);
}

/** ISO 8601 week, e.g. `2026-W47`. */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // Thursday of this week decides the year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}
