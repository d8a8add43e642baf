import { newPlan } from '../../plan/new-plan.js';
import type { Plan } from '../../plan/plan-schema.js';
import { describeRef, type ConnectionRef } from '../../plan/secret-ref.js';
import type { RestoreRunParams } from '../operations/restore-run-operation.js';

/** What `preview lock` sets: the PR database, its PR, the lock label, and whether it is locked. */
export interface PreviewLockRequest {
  readonly db: string;
  readonly pr: number;
  readonly label: string;
  readonly state: 'lock' | 'unlock';
}

/**
 * Plan writing (or removing) a PR database's lock record (`preview lock`, the Kubernetes Jobs): one
 * `preview.lock` operation, skipped when the record already is as asked. Pure but for the clock.
 */
export function planPreviewLock(
  request: PreviewLockRequest,
  target: ConnectionRef,
  guard: RestoreRunParams['guard'],
): Plan {
  const { db, pr, label, state } = request;
  return newPlan({
    command: 'preview lock',
    summary: `${state} ${db}`,
    operations: [
      {
        id: state,
        kind: 'preview.lock',
        description: `${state === 'lock' ? 'write' : 'remove'} the lock record of ${db} at ${describeRef(target)} (${label}, PR #${pr})`,
        aspects: ['idempotent'],
        params: { target, db, pr, guard, state, label },
      },
    ],
  });
}
