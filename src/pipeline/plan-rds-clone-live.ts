import type { Plan } from '../plan/plan-schema.js';
import { targetTree } from '../rds/clone-state.js';
import type { RdsConnection } from '../rds/clone-steps.js';
import type { InfraGuardConfig } from '../rds/infra-guard.js';
import { planRdsClone, type RdsClonePlanInput } from '../rds/plan-rds-clone.js';
import type { RdsApi } from '../rds/rds-port.js';
import { loadCloneState } from './rds-clone-state.js';
import { newInfraRunId } from './infra-run-id.js';

export interface RdsCloneOptions {
  readonly guard: InfraGuardConfig;
  readonly connection: RdsConnection;
  readonly restoreSnapshot: boolean;
  readonly restart?: string;
  readonly keepOld: boolean;
  readonly pollIntervalMs: number;
  readonly timeoutMs: number;
}

/**
 * Plan an RDS clone from live state: describe the trees (and, when the copy starts from a snapshot,
 * the source's latest one), adopt the run id of an interrupted run found in the lock, then plan.
 *
 * @throws the loader's and planner's errors (`RDS_OLD_EXISTS`, `RDS_INSTANCE_NOT_FOUND`, `RDS_NO_SNAPSHOT`)
 */
export async function planRdsCloneLive(api: RdsApi, options: RdsCloneOptions): Promise<Plan> {
  const { state, lease } = await loadCloneState(api, options.guard.source, options.guard.target);
  const source = state.get(options.guard.source);
  const target = targetTree(state, options.guard.target, lease?.runId)[0]?.instance;
  const needsSnapshot = options.restoreSnapshot || (source?.vpcId ?? '') !== (target?.vpcId ?? '');
  const snapshot = source && needsSnapshot ? await api.latestSnapshot(source.id) : undefined;
  const input: RdsClonePlanInput = {
    ...options,
    state,
    runId: lease?.runId ?? newInfraRunId(),
    ...(snapshot ? { snapshot } : {}),
  };
  return planRdsClone(input);
}
