import { z } from 'zod';
import { processClock } from '../../core/clock.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { runBackup } from '../backup/run-backup.js';

export const BackupRunParamsSchema = z.strictObject({
  source: ConnectionRefSchema,
  /** The database; null for a whole-server backup. */
  db: z.string().nullable(),
  allDatabases: z.boolean(),
  /** Backup (snapshot) name. */
  name: z.string(),
  /** Store URL. */
  store: z.string(),
  /** age recipients (public keys: not secrets). */
  recipients: z.array(z.string().regex(/^age1[0-9a-z]+$/, 'an age recipient (age1…)')).min(1),
  gzip: z.boolean(),
  include: z.array(z.string()),
  exclude: z.array(z.string()),
  /** Retries after the first attempt, for transient errors. */
  retries: z.number().int().min(0),
});

export type BackupRunParams = z.infer<typeof BackupRunParamsSchema>;

/**
 * `backup.run`: one encrypted raw backup with its markers, retried inside the operation (so a run
 * that gives up records one failure), on the process clock (see `processClock`).
 *
 * @returns the {@link runBackup} result: snapshot, manifest, daily marker, attempts
 */
export const backupRunOperation: OperationKind<BackupRunParams> = {
  kind: 'backup.run',
  params: BackupRunParamsSchema,
  async run(params, ctx) {
    return runBackup({
      uri: (await ctx.secrets.resolve(params.source)).reveal(),
      db: params.db,
      allDatabases: params.allDatabases,
      name: params.name,
      store: params.store,
      recipients: params.recipients,
      gzip: params.gzip,
      include: params.include,
      exclude: params.exclude,
      retries: params.retries,
      now: processClock(),
      onProgress: ctx.onProgress,
    });
  },
};
