import type { PlanOperation } from '../plan/plan-schema.js';
import { oldId, tempId } from './clone-names.js';
import type { RdsStepParams } from './clone-steps.js';
import { planStep, type StepContext } from './plan-step.js';
import { leavesFirst } from './replication-tree.js';

type Protect = NonNullable<RdsStepParams['protect']>;

/**
 * The name swap, leaves first each time: every target-tree node to `old-<name>` (re-checked as not
 * production just before each call), then every copy `temp-<name>` to `<name>`.
 */
export function swapSteps(ctx: StepContext, targets: readonly string[], protect: Protect): PlanOperation[] {
  const order = leavesFirst(targets);
  const rename = (phase: string, from: string, to: string, logical: string, guard?: Protect): PlanOperation =>
    planStep(ctx, {
      kind: 'rds.rename',
      phase,
      instance: logical,
      logical,
      description: `rename ${from} to ${to}`,
      request: { DBInstanceIdentifier: from, NewDBInstanceIdentifier: to, ApplyImmediately: true },
      ...(guard ? { protect: guard } : {}),
    });
  return [
    ...order.map((l) => rename('rename-old', l, oldId(l), l, protect)),
    ...order.map((l) => rename('rename-temp', tempId(l), l, l)),
  ];
}

/** Delete the `old-*` tree, leaves first, with no final snapshot (each re-checked as not production). */
export function deleteSteps(ctx: StepContext, targets: readonly string[], protect: Protect): PlanOperation[] {
  return leavesFirst(targets).map((l) =>
    planStep(ctx, {
      kind: 'rds.delete',
      phase: 'delete',
      instance: oldId(l),
      logical: l,
      description: `delete ${oldId(l)} (no final snapshot)`,
      request: { DBInstanceIdentifier: oldId(l), SkipFinalSnapshot: true },
      protect,
    }),
  );
}
