import { openRdsApi } from '../../aws/open-rds-api.js';
import { OperationRegistry } from '../../plan/operation-registry.js';
import { shellOperation } from '../../plan/shell-operation.js';
import { rdsOperations } from './rds-operations.js';
import type { RdsApiFor } from './rds-step-operation.js';
import { restoreRunOperation } from './restore-run-operation.js';
import { snapshotAwaitOperation } from './snapshot-await-operation.js';
import { snapshotCaptureOperation } from './snapshot-capture-operation.js';
import { snapshotDeleteOperation } from './snapshot-delete-operation.js';

/**
 * Every operation kind a dbfork plan may hold. `rdsApiFor` opens the RDS API of an RDS plan's
 * connection (default: the AWS adapter, `aws/open-rds-api.ts`).
 */
export function planOperations(rdsApiFor: RdsApiFor = (c) => openRdsApi(c)): OperationRegistry {
  const registry = new OperationRegistry()
    .register(snapshotAwaitOperation)
    .register(snapshotCaptureOperation)
    .register(snapshotDeleteOperation)
    .register(restoreRunOperation)
    .register(shellOperation);
  for (const kind of rdsOperations(rdsApiFor)) registry.register(kind);
  return registry;
}
