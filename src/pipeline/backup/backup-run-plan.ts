import { newPlan } from '../../plan/new-plan.js';
import type { Plan } from '../../plan/plan-schema.js';
import { describeRef } from '../../plan/secret-ref.js';
import type { BackupRunParams } from '../operations/backup-run-operation.js';

/**
 * Plan `dbfork backup run`: one `backup.run` operation. Pure. Not `retryable` for the executor: the
 * operation retries itself, so that a run that gives up records exactly one failure.
 */
export function planBackupRun(
  params: BackupRunParams,
  options: { readonly preview?: Plan['preview']; readonly now?: Date } = {},
): Plan {
  const what = params.allDatabases ? 'every database' : params.db;
  return newPlan({
    command: 'backup run',
    summary: `back up ${what} into ${params.name}`,
    operations: [
      {
        id: 'backup',
        kind: 'backup.run',
        description:
          `back up ${what} at ${describeRef(params.source)} into ${params.name}/<timestamp>/ in ${params.store}` +
          ` (archive${params.gzip ? ', gzip' : ''}, encrypted to ${params.recipients.length} age recipient(s), raw),` +
          ` then move ${params.name}/latest and write ${params.name}/daily/<date>; up to ${params.retries} retries`,
        aspects: [],
        params,
      },
    ],
    ...(options.preview ? { preview: options.preview } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
}
