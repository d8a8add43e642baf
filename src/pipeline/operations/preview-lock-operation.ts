import { z } from 'zod';
import type { OperationKind } from '../../plan/operation-kind.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { withPreviewDatabases } from '../preview/with-preview-databases.js';
import { PreviewDatabaseParamsSchema } from './preview-params.js';

const LockParamsSchema = PreviewDatabaseParamsSchema.extend({
  /** `lock`: write the lock record; `unlock`: remove it. */
  state: z.enum(['lock', 'unlock']),
  label: z.string(),
});

export type PreviewLockParams = z.infer<typeof LockParamsSchema>;

/**
 * `preview.lock`: write (or remove) the lock record of a PR database, `{_id: 'lock'}` in its
 * `snapshot_metadata`, so that it matches the `persist-db` label. Already so: skipped.
 */
export const previewLockOperation: OperationKind<PreviewLockParams> = {
  kind: 'preview.lock',
  params: LockParamsSchema,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, params.guard), params.db);
  },
  async isDone(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    const { lock } = await withPreviewDatabases(uri, (dbs) => dbs.records(params.db));
    return (lock !== null) === (params.state === 'lock');
  },
  async run(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    await withPreviewDatabases(uri, (dbs) =>
      params.state === 'lock'
        ? dbs.writeLock(params.db, {
            _id: 'lock',
            locked: true,
            pr: params.pr,
            label: params.label,
            lockedAt: new Date(),
          })
        : dbs.removeLock(params.db),
    );
    return { [params.state === 'lock' ? 'locked' : 'unlocked']: params.db };
  },
};
