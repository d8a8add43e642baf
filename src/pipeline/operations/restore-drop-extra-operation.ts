import { z } from 'zod';
import { TargetError } from '../../errors/index.js';
import { MongoDbTarget } from '../../mongodb/mongodb-target.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { collectionsToDrop } from '../../restore/replace-drops.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { RestoreGuardParamsSchema } from './restore-guard-params.js';

const RestoreDropExtraParamsSchema = z.strictObject({
  target: ConnectionRefSchema,
  db: z.string(),
  guard: RestoreGuardParamsSchema,
  /** The drops the planner saw (a dry run or `--plan-out` looked at the target), for the reader; null when it did not look. */
  planned: z.array(z.string()).nullable(),
});

export type RestoreDropExtraParams = z.infer<typeof RestoreDropExtraParamsSchema>;

/**
 * `restore.drop-extra` (`restore --replace`): after the restore swapped its collections in, drop the
 * target db's collections it did not bring, so the db holds exactly the snapshot's collections. What
 * the restore brought is read from the target's `snapshot_metadata` (written last by the restore),
 * so the drops follow the data actually restored, also when `latest` moved since planning. The target
 * guard (pure rules and the live privileges check) runs again before any drop. `system.*` and dbfork's
 * own collections are never dropped.
 *
 * @throws PolicyError from the guard; TargetError `TARGET_NO_RESTORE_RECORD` when the target holds no
 *   `snapshot_metadata` (no restore completed there), `TARGET_WRITE_FAILED` from a drop
 */
export const restoreDropExtraOperation: OperationKind<RestoreDropExtraParams> = {
  kind: 'restore.drop-extra',
  params: RestoreDropExtraParamsSchema,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, params.guard), params.db);
  },
  async run(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, params.guard), params.db);
    const target = await MongoDbTarget.connect(uri, params.db);
    try {
      await target.checkLive({ target: { uri, db: params.db }, protectedDbs: params.guard.protectedDbs });
      const metadata = await target.readMetadata();
      const restored = (metadata?.collections ?? null) as readonly { name: string }[] | null;
      if (restored === null) {
        throw new TargetError(
          'TARGET_NO_RESTORE_RECORD',
          `${params.db} holds no snapshot_metadata, so what a restore brought is unknown; nothing dropped`,
          {
            subject: { db: params.db },
            hint: 'restore into it first (restore --replace does both)',
            labels: ['noWritesPerformed'],
          },
        );
      }
      const drops = collectionsToDrop(
        await target.listCollections(),
        restored.map((c) => c.name),
      );
      for (const name of drops) {
        await target.drop(name);
        ctx.onProgress({
          type: 'phase',
          phase: 'dropped',
          detail: `${params.db}.${name} (not in the snapshot)`,
        });
      }
      return { db: params.db, dropped: drops };
    } finally {
      await target.close();
    }
  },
};
