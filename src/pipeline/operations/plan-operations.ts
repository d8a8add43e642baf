import { openEbsApis } from '../../aws/open-ebs-apis.js';
import { openRdsApi } from '../../aws/open-rds-api.js';
import { openMemberAdmin } from '../../mongodb/member-admin.js';
import { spawnWatchdog } from '../lock-watchdog-spawn.js';
import type { EbsDeps } from './ebs-deps.js';
import { ebsOperations } from './ebs-operations.js';
import { OperationRegistry } from '../../plan/operation-registry.js';
import { backupRestoreOperation } from './backup-restore-operation.js';
import { backupRunOperation } from './backup-run-operation.js';
import { shellOperation } from '../../plan/shell-operation.js';
import { restoreDropExtraOperation } from './restore-drop-extra-operation.js';
import { previewCloneOperation } from './preview-clone-operation.js';
import { previewDropOperation } from './preview-drop-operation.js';
import { previewLockOperation } from './preview-lock-operation.js';
import { previewRestoreOperation } from './preview-restore-operation.js';
import { previewSeedCommandOperation } from './preview-seed-command-operation.js';
import { rdsOperations } from './rds-operations.js';
import type { RdsApiFor } from './rds-step-operation.js';
import { restoreRunOperation } from './restore-run-operation.js';
import { snapshotAwaitOperation } from './snapshot-await-operation.js';
import { snapshotCaptureOperation } from './snapshot-capture-operation.js';
import { snapshotDeleteOperation } from './snapshot-delete-operation.js';

/** The `ebs.*` kinds' real dependencies: the AWS adapter, the MongoDB adapter, the watchdog process. */
export const EBS_DEPS: EbsDeps = {
  apis: (c) => openEbsApis(c),
  admin: (uri) => openMemberAdmin(uri),
  watchdog: spawnWatchdog(),
};

/**
 * Every operation kind a dbfork plan may hold. `rdsApiFor` opens the RDS API of an RDS plan's
 * connection (default: the AWS adapter, `aws/open-rds-api.ts`); `ebsDeps` are what the `ebs.*` kinds
 * talk to.
 */
export function planOperations(
  rdsApiFor: RdsApiFor = (c) => openRdsApi(c),
  ebsDeps: EbsDeps = EBS_DEPS,
): OperationRegistry {
  const registry = new OperationRegistry()
    .register(snapshotAwaitOperation)
    .register(snapshotCaptureOperation)
    .register(snapshotDeleteOperation)
    .register(restoreRunOperation)
    .register(backupRunOperation)
    .register(backupRestoreOperation)
    .register(restoreDropExtraOperation)
    .register(shellOperation)
    .register(previewRestoreOperation)
    .register(previewSeedCommandOperation)
    .register(previewCloneOperation)
    .register(previewDropOperation)
    .register(previewLockOperation);
  for (const kind of rdsOperations(rdsApiFor)) registry.register(kind);
  for (const kind of ebsOperations(ebsDeps)) registry.register(kind);
  return registry;
}
