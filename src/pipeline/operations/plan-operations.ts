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
import { restoreRunOperation } from './restore-run-operation.js';
import { snapshotAwaitOperation } from './snapshot-await-operation.js';
import { snapshotCaptureOperation } from './snapshot-capture-operation.js';
import { snapshotDeleteOperation } from './snapshot-delete-operation.js';

/** Every operation kind a dbfork plan may hold. */
export function planOperations(): OperationRegistry {
  return new OperationRegistry()
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
}
