import type { OperationKind } from '../../plan/operation-kind.js';
import { RDS_STEP_ACTIONS, type RdsStepKind } from '../../rds/clone-steps.js';
import type { LeaseHost } from '../../rds/run-lease.js';
import { rdsLeaseOperation } from './rds-lease-operation.js';
import { rdsAwaitOperation, rdsReleaseOperation } from './rds-run-operations.js';
import { rdsStepOperation, type RdsApiFor } from './rds-step-operation.js';

/** Every operation kind of an RDS clone plan, over one way of opening the RDS API. */
export function rdsOperations(apiFor: RdsApiFor, host?: () => LeaseHost): OperationKind[] {
  const steps = (Object.keys(RDS_STEP_ACTIONS) as RdsStepKind[]).map((kind) =>
    rdsStepOperation(kind, apiFor),
  );
  return [
    rdsLeaseOperation(apiFor, host),
    rdsAwaitOperation(apiFor),
    rdsReleaseOperation(apiFor),
    ...steps,
  ] as OperationKind[];
}
