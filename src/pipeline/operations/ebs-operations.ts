import type { OperationKind } from '../../plan/operation-kind.js';
import type { EbsDeps } from './ebs-deps.js';
import { ebsEc2Operations } from './ebs-ec2-operations.js';
import { ebsLockOperations } from './ebs-lock-operations.js';
import { ebsCommandOperation, ebsInstallDocumentOperation } from './ebs-ssm-operations.js';

/** Every operation kind of an EBS sync and of `ebs install-documents`. */
export function ebsOperations(deps: EbsDeps): OperationKind[] {
  return [
    ...ebsLockOperations(deps),
    ...ebsEc2Operations(deps),
    ebsCommandOperation(deps),
    ebsInstallDocumentOperation(deps),
  ] as OperationKind[];
}
