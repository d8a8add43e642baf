import type { Plan } from '../plan/plan-schema.js';
import { newPlan } from '../plan/new-plan.js';
import { applyRetention, type RetentionPolicy } from '../store/retention.js';
import type { SnapshotInfo } from '../store/snapshot-catalog.js';

/** One snapshot name as the store lists it now. */
export interface PruneListing {
  readonly name: string;
  readonly snapshots: readonly SnapshotInfo[];
  readonly latest: string | null;
}

/** What retention decided for one snapshot. */
export interface PruneRow {
  readonly name: string;
  readonly id: string;
  readonly action: 'keep' | 'delete';
  /** Why it is kept, or why it goes when abandoned. */
  readonly reason: string;
}

/**
 * Plan `dbfork snapshot prune`: apply the retention policy to each name's complete snapshots
 * (`latest` always kept), and remove abandoned incomplete ones. Pure. One `snapshot.delete` per
 * snapshot that goes; the decisions are the plan's preview.
 */
export function planSnapshotPrune(
  store: string,
  policy: RetentionPolicy,
  listings: readonly PruneListing[],
  now?: Date,
): { plan: Plan; rows: PruneRow[] } {
  const rows: PruneRow[] = [];
  for (const { name, snapshots, latest } of listings) {
    const complete = snapshots.filter((s) => s.manifest !== null);
    const decisions = applyRetention(
      complete.map((s) => ({ id: s.id, createdAt: s.manifest!.createdAt })),
      policy,
      latest,
    );
    for (const d of decisions)
      rows.push({ name, id: d.id, action: d.keep ? 'keep' : 'delete', reason: d.reasons.join(', ') });
    for (const s of snapshots.filter((s) => s.status === 'incomplete' && !s.inProgress))
      rows.push({ name, id: s.id, action: 'delete', reason: 'abandoned (incomplete)' });
  }
  const deletes = rows.filter((r) => r.action === 'delete');
  const plan = newPlan({
    command: 'snapshot prune',
    summary: `delete ${deletes.length} snapshot(s) the retention policy does not keep, keep ${rows.length - deletes.length}`,
    operations: deletes.map((r) => ({
      id: `delete-${r.name}-${r.id}`.toLowerCase().replace(/[^a-z0-9._-]/g, '-'),
      kind: 'snapshot.delete',
      description: `delete snapshot ${r.name}@${r.id}${r.reason ? ` (${r.reason})` : ''}`,
      aspects: ['destructive', 'needs-confirmation', 'idempotent'],
      params: {
        store,
        name: r.name,
        id: r.id,
        expect: r.reason.startsWith('abandoned') ? 'abandoned' : 'complete',
      },
    })),
    preview: { policy: { ...policy }, snapshots: rows.map((r) => ({ ...r })) },
    ...(now ? { now } : {}),
  });
  return { plan, rows };
}
