import { z } from 'zod';
import type { OperationKind } from '../../plan/operation-kind.js';
import { createSecretResolver } from '../../plan/secret-resolver.js';
import { shellOperation } from '../../plan/shell-operation.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { evaluateTargetGuard } from '../../target/guard/target-guard.js';
import { assertUnlocked } from '../preview/assert-unlocked.js';
import { databaseUri } from '../preview/database-uri.js';
import { withPreviewDatabases } from '../preview/with-preview-databases.js';
import { PreviewDatabaseParamsSchema } from './preview-params.js';

const SeedCommandParamsSchema = PreviewDatabaseParamsSchema.extend({
  /** A shell command line (`sh -c`), e.g. `npm run db:seed`. */
  command: z.string().min(1),
  cwd: z.string().optional(),
});

export type PreviewSeedCommandParams = z.infer<typeof SeedCommandParamsSchema>;

/**
 * `preview.seed-command`: seed a PR database by running the application's own seeder (`sh -c
 * <command>`) with `MONGODB_URI` (the target with the PR database as its default database),
 * `DBFORK_PREVIEW_DB` and `DBFORK_PR_NUMBER` in its environment, then write its preview record.
 * Runs from a plan file only with `--allow-commands`; refuses a locked database.
 *
 * @throws OperationFailure `PLAN_COMMAND_FAILED` on a non-zero exit; PolicyError `PREVIEW_DATABASE_LOCKED`
 */
export const previewSeedCommandOperation: OperationKind<PreviewSeedCommandParams> = {
  kind: 'preview.seed-command',
  params: SeedCommandParamsSchema,
  runsCommands: true,
  async check(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    assertTargetAllowed(evaluateTargetGuard({ uri, db: params.db }, params.guard), params.db);
    await withPreviewDatabases(uri, (dbs) => assertUnlocked(dbs, params.db, 'seed'));
  },
  async run(params, ctx) {
    const uri = (await ctx.secrets.resolve(params.target)).reveal();
    const secrets = createSecretResolver({
      args: { '--mongodb-uri': databaseUri(uri, params.db), '--db': params.db, '--pr': String(params.pr) },
    });
    const output = await shellOperation.run(
      {
        argv: ['sh', '-c', params.command],
        ...(params.cwd ? { cwd: params.cwd } : {}),
        env: {
          MONGODB_URI: { arg: '--mongodb-uri' },
          DBFORK_PREVIEW_DB: { arg: '--db' },
          DBFORK_PR_NUMBER: { arg: '--pr' },
        },
      },
      { ...ctx, secrets },
    );
    await withPreviewDatabases(uri, (dbs) =>
      dbs.writePreview(params.db, {
        _id: 'preview',
        pr: params.pr,
        source: 'seed',
        snapshotId: null,
        takenAt: null,
        createdAt: new Date(),
      }),
    );
    return output;
  },
};
