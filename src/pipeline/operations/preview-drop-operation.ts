import { z } from 'zod';
import type { OperationKind } from '../../plan/operation-kind.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { assertUnlocked } from '../preview/assert-unlocked.js';
import { withPreviewDatabases } from '../preview/with-preview-databases.js';
import { PreviewDatabaseParamsSchema } from './preview-params.js';

const DropParamsSchema = PreviewDatabaseParamsSchema.extend({
  /**
   * The decision removed the lock (the `persist-db` label was taken off): remove the lock record,
   * then drop. Without it a locked database is refused.
   */
  unlock: z.boolean(),
});

export type PreviewDropParams = z.infer<typeof DropParamsSchema>;

/**
 * `preview.drop`: drop a PR database. Its check runs the target guard and refuses a locked database
 * (`PREVIEW_DATABASE_LOCKED`) unless `unlock`; `run` reads the lock again right before the drop.
 * Gone already: skipped.
 *
 * @throws PolicyError from the guard or `PREVIEW_DATABASE_LOCKED`
 */
export const previewDropOperation: OperationKind<PreviewDropParams> = {
  kind: 'preview.drop',
  params: DropParamsSchema,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, params.guard), params.db);
    if (!params.unlock) await withPreviewDatabases(uri, (dbs) => assertUnlocked(dbs, params.db, 'drop'));
  },
  async isDone(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    return withPreviewDatabases(uri, async (dbs) => !(await dbs.records(params.db)).exists);
  },
  async run(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    return withPreviewDatabases(uri, async (dbs) => {
      if (params.unlock) await dbs.removeLock(params.db);
      else await assertUnlocked(dbs, params.db, 'drop');
      await dbs.dropDatabase(params.db);
      return { dropped: params.db };
    });
  },
};
