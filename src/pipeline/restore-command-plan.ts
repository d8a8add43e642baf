import type { Plan, PlanOperation } from '../plan/plan-schema.js';
import type { GuardVerdict } from '../target/guard/target-guard.js';
import { newPlan } from '../plan/new-plan.js';
import { describeRef } from '../plan/secret-ref.js';
import type { RestoreRunParams } from './operations/restore-run-operation.js';

export interface RestoreCommandPlanInput {
  /** The `restore.run` parameters (connections by reference). */
  readonly restore: RestoreRunParams;
  /** Wait for the snapshot first: total and pause, in ms (absent or 0: no wait). */
  readonly wait?: { readonly waitMs: number; readonly intervalMs: number };
  /** The guard's verdict when planning. */
  readonly guard: GuardVerdict;
  /**
   * `--replace`: after the restore, drop the target's collections it did not bring
   * (`restore.drop-extra`); `planned` lists those the planner saw, or null when it did not look.
   */
  readonly replace?: { readonly planned: readonly string[] | null };
  readonly preview?: Plan['preview'];
  readonly now?: Date;
}

/**
 * Plan `dbfork restore`: optionally wait for the snapshot, then restore it (or a dump) into the
 * target db. Pure. The restore is destructive (it replaces the target's collections) and asks for
 * confirmation when applied from a file; it is retryable unless it reads stdin (which cannot be read
 * twice). With `replace`, a destructive `restore.drop-extra` follows: it runs only when the restore
 * succeeded.
 */
export function planRestoreCommand(input: RestoreCommandPlanInput): Plan {
  const r = input.restore;
  const whole =
    'dump' in r.input
      ? `the dump ${r.input.dump === '-' ? 'on stdin' : r.input.dump}`
      : `snapshot ${r.input.snapshot}`;
  const what = r.subset
    ? `a subset of ${whole} (roots: ${r.subset.roots.map((root) => root.collection).join(', ')}${r.subset.rootLimit > 0 ? `, ${r.subset.rootLimit} each` : ''}; follow ${r.subset.follow}; selected when it runs)`
    : whole;
  const operations: PlanOperation[] = [];
  if ('snapshot' in r.input && input.wait && input.wait.waitMs > 0) {
    operations.push({
      id: 'await-snapshot',
      kind: 'snapshot.await',
      description: `wait for snapshot ${r.input.snapshot} to appear in ${r.input.store}`,
      aspects: ['idempotent'],
      params: { snapshot: r.input.snapshot, store: r.input.store },
      waitFor: { timeoutMs: input.wait.waitMs, intervalMs: input.wait.intervalMs },
    });
  }
  const stdin = 'dump' in r.input && r.input.dump === '-';
  operations.push({
    id: 'restore',
    kind: 'restore.run',
    description: `restore ${what} into ${r.db} at ${describeRef(r.target)}: load aside, verify, swap in`,
    aspects: ['destructive', 'needs-confirmation', 'idempotent', ...(stdin ? [] : (['retryable'] as const))],
    params: r,
  });
  if (input.replace) operations.push(dropExtraOperation(r, input.replace.planned));
  return newPlan({
    command: 'restore',
    summary: `restore ${what} into ${r.db}`,
    operations,
    guard: {
      allowed: input.guard.allowed,
      rule: input.guard.rule,
      code: input.guard.code,
      reason: input.guard.reason,
    },
    ...(input.preview ? { preview: input.preview } : {}),
    ...(input.now ? { now: input.now } : {}),
  });
}

function dropExtraOperation(r: RestoreRunParams, planned: readonly string[] | null): PlanOperation {
  const which =
    planned === null
      ? 'the collections'
      : planned.length === 0
        ? 'no collection (none seen now)'
        : `${planned.length} collection(s) (${planned.join(', ')})`;
  return {
    id: 'drop-extra',
    kind: 'restore.drop-extra',
    description: `after the swap, drop ${which} of ${r.db} the restore did not bring, so it holds exactly the snapshot's collections`,
    aspects: ['destructive', 'needs-confirmation', 'idempotent', 'retryable'],
    params: { target: r.target, db: r.db, guard: r.guard, planned: planned === null ? null : [...planned] },
  };
}
