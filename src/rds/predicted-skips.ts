import type { PlanOperation } from '../plan/plan-schema.js';
import type { InstanceMap } from './db-instance.js';
import type { RdsStepParams } from './clone-steps.js';
import { isRdsStep } from './plan-step.js';
import { predict } from './predict.js';
import { satisfied } from './step-satisfied.js';

/**
 * Which RDS steps a run would skip, and why, by operation id: each step is judged on the live state
 * with the effect of every earlier step that would run predicted (`predict`), as the executor's
 * resume check will judge it on live state when its turn comes.
 */
export function predictedSkips(
  operations: readonly PlanOperation[],
  live: InstanceMap,
): Record<string, string> {
  let state: InstanceMap = live;
  const out: Record<string, string> = {};
  for (const op of operations) {
    if (!isRdsStep(op.kind)) continue;
    const params = op.params as unknown as RdsStepParams;
    const reason = satisfied(op.kind, params, state);
    if (reason !== undefined) out[op.id] = reason;
    else state = predict(state, op.kind, params.request);
  }
  return out;
}
