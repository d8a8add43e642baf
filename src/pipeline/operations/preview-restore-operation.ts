import { z } from 'zod';
import type { OperationKind } from '../../plan/operation-kind.js';
import type { RestoreResult } from '../../restore/restore-result.js';
import { assertUnlocked } from '../preview/assert-unlocked.js';
import { withPreviewDatabases } from '../preview/with-preview-databases.js';
import { restoreRunOperation, RestoreRunParamsSchema } from './restore-run-operation.js';

const PreviewRestoreParamsSchema = z.strictObject({
  restore: RestoreRunParamsSchema,
  pr: z.number().int().positive(),
  /** What the database is made from (recorded in its preview record). */
  source: z.enum(['seed', 'snapshot', 'staging']),
});

export type PreviewRestoreParams = z.infer<typeof PreviewRestoreParamsSchema>;

/**
 * `preview.restore`: fill a PR database from a snapshot or a seed dump with the restore engine
 * (`restore.run`: guard, load aside, verify, swap), then write its preview record (source, snapshot,
 * when it was taken). Its check is `restore.run`'s plus the lock: a locked database is refused.
 *
 * @throws PolicyError `PREVIEW_DATABASE_LOCKED`, and whatever `restore.run` throws
 */
export const previewRestoreOperation: OperationKind<PreviewRestoreParams> = {
  kind: 'preview.restore',
  params: PreviewRestoreParamsSchema,
  async check(params, ctx) {
    await restoreRunOperation.check?.(params.restore, ctx);
    const uri = (await ctx.secrets.resolve(params.restore.target)).reveal();
    await withPreviewDatabases(uri, (dbs) => assertUnlocked(dbs, params.restore.db, 'refill'));
  },
  async run(params, ctx) {
    const result = (await restoreRunOperation.run(params.restore, ctx)) as RestoreResult;
    const uri = (await ctx.secrets.resolve(params.restore.target)).reveal();
    await withPreviewDatabases(uri, (dbs) =>
      dbs.writePreview(params.restore.db, {
        _id: 'preview',
        pr: params.pr,
        source: params.source,
        snapshotId: result.metadata?.snapshotId ?? null,
        takenAt: result.metadata?.takenAt ?? null,
        createdAt: new Date(),
      }),
    );
    return result;
  },
};
