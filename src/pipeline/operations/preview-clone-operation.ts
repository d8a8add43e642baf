import { z } from 'zod';
import { stripUriCredentials } from '../../core/redact.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { OperationFailure } from '../../plan/operation-failure.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard, type TargetGuardConfig } from '../../target/guard/target-guard.js';
import { assertUnlocked } from '../preview/assert-unlocked.js';
import { withPreviewDatabases } from '../preview/with-preview-databases.js';
import { restoreToTarget } from '../restore-to-target.js';
import { withCapture } from '../with-capture.js';
import { PreviewDatabaseParamsSchema } from './preview-params.js';

const CloneParamsSchema = PreviewDatabaseParamsSchema.extend({
  /** The staging database copied (on the same server). */
  from: z.string(),
  /** Only these collections (empty: all). */
  collections: z.array(z.string()),
});

export type PreviewCloneParams = z.infer<typeof CloneParamsSchema>;

/**
 * `preview.clone`: copy the staging database into a PR database on the same server, streamed from a
 * capture of staging into the restore engine (load aside, verify, swap), then write its preview
 * record. Staging is a non-production copy already, so nothing is anonymized again (recorded as
 * `none`). The guard refuses staging itself as the target; a locked database is refused.
 *
 * @throws PolicyError from the guard or `PREVIEW_DATABASE_LOCKED`; OperationFailure with the restore result
 */
export const previewCloneOperation: OperationKind<PreviewCloneParams> = {
  kind: 'preview.clone',
  params: CloneParamsSchema,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, guardOf(params, uri)), params.db);
    await withPreviewDatabases(uri, (dbs) => assertUnlocked(dbs, params.db, 'refill'));
  },
  async run(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    const startedAt = new Date();
    const include = params.collections.map((c) => `${params.from}.${c}`);
    const result = await withCapture(
      { uri, db: params.from, include, onProgress: ctx.onProgress },
      (capture) =>
        restoreToTarget({
          uri,
          targetDb: params.db,
          guardConfig: guardOf(params, uri),
          events: capture.events,
          provenance: {
            snapshotId: null,
            source: { uri: stripUriCredentials(uri), db: params.from },
            takenAt: startedAt,
            rulesDigest: null,
            anonymized: 'none',
          },
          onProgress: ctx.onProgress,
        }),
    );
    if (result.error) throw new OperationFailure(result.error, result);
    await withPreviewDatabases(uri, (dbs) =>
      dbs.writePreview(params.db, {
        _id: 'preview',
        pr: params.pr,
        source: 'staging',
        snapshotId: null,
        takenAt: startedAt,
        createdAt: new Date(),
      }),
    );
    return result;
  },
};

function guardOf(params: PreviewCloneParams, uri: string): TargetGuardConfig {
  return { ...params.guard, source: { uri, db: params.from } };
}
