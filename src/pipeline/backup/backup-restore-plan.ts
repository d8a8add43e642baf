import { newPlan } from '../../plan/new-plan.js';
import type { Plan } from '../../plan/plan-schema.js';
import { describeRef } from '../../plan/secret-ref.js';
import type { GuardVerdict } from '../../target/guard/target-guard.js';
import type { BackupRestoreParams } from '../operations/backup-restore-operation.js';

/**
 * Plan `dbfork backup restore`: one `backup.restore` operation, destructive. The recorded guard is
 * the first refusing verdict of the target databases, else the first one (all allowed).
 */
export function planBackupRestore(
  params: BackupRestoreParams,
  verdicts: readonly { readonly db: string; readonly verdict: GuardVerdict }[],
  options: { readonly preview?: Plan['preview'] } = {},
): Plan {
  const dbs = verdicts.map((v) => v.db);
  const guard = (verdicts.find((v) => !v.verdict.allowed) ?? verdicts[0])?.verdict;
  return newPlan({
    command: 'backup restore',
    summary: `disaster recovery: restore backup ${params.backup} into ${dbs.join(', ')}`,
    operations: [
      {
        id: 'restore',
        kind: 'backup.restore',
        description:
          `disaster recovery: restore encrypted backup ${params.backup} from ${params.store} into ${dbs.join(', ')}` +
          ` at ${describeRef(params.target)}${params.drop ? ' (--drop: its collections replace the target’s)' : ''};` +
          ' load aside, verify, swap in; audited in the store',
        aspects: ['destructive', 'needs-confirmation'],
        params,
      },
    ],
    ...(guard
      ? { guard: { allowed: guard.allowed, rule: guard.rule, code: guard.code, reason: guard.reason } }
      : {}),
    ...(options.preview ? { preview: options.preview } : {}),
  });
}
