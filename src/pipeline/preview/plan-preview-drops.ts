import { newPlan } from '../../plan/new-plan.js';
import type { Plan } from '../../plan/plan-schema.js';
import { describeRef, type ConnectionRef } from '../../plan/secret-ref.js';
import type { RestoreRunParams } from '../operations/restore-run-operation.js';

/** One PR database to drop, and why. */
export interface PreviewDrop {
  readonly db: string;
  readonly pr: number;
  readonly reason: string;
}

/**
 * Plan dropping PR databases (`preview cleanup`, `preview gc`): one `preview.drop` each, which
 * refuses a locked database at check time and again right before it drops. Pure but for the clock.
 */
export function planPreviewDrops(
  command: string,
  drops: readonly PreviewDrop[],
  target: ConnectionRef,
  guard: RestoreRunParams['guard'],
): Plan {
  return newPlan({
    command,
    summary: drops.length === 0 ? 'nothing to drop' : `drop ${drops.map((d) => d.db).join(', ')}`,
    operations: drops.map((d) => ({
      id: `drop-${d.db}`,
      kind: 'preview.drop',
      description: `drop ${d.db} at ${describeRef(target)}: ${d.reason}`,
      aspects: ['destructive', 'needs-confirmation', 'idempotent'],
      params: { target, db: d.db, pr: d.pr, guard, unlock: false },
    })),
  });
}
