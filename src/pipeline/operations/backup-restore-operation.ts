import { z } from 'zod';
import { processClock } from '../../core/clock.js';
import type { OperationKind } from '../../plan/operation-kind.js';
import { OperationFailure } from '../../plan/operation-failure.js';
import { ConnectionRefSchema } from '../../plan/secret-ref.js';
import { disasterRestore, prepareDisasterRestore } from '../backup/disaster-restore.js';
import { openObjectStore } from '../../store/open-snapshot-store.js';
import { assertTargetAllowed } from '../../target/guard/assert-target-allowed.js';
import { parseBackupRef } from '../backup/resolve-backup.js';
import { readIdentityFile } from '../../codec/identity-file.js';

export const BackupRestoreParamsSchema = z.strictObject({
  /** Store URL. */
  store: z.string(),
  /** `<name>@<id>`, `<name>@latest` or `<name>@daily/<YYYY-MM-DD>`. */
  backup: z.string(),
  target: ConnectionRefSchema,
  /** The target database; null: every database of a whole-server backup, each by its name. */
  db: z.string().nullable(),
  disasterRecovery: z.boolean(),
  /** Every `--confirm` value. */
  confirmations: z.array(z.string()),
  /** The names typed at the terminal prompt, by target database; null when there was no terminal. */
  typed: z.record(z.string(), z.string()).nullable(),
  drop: z.boolean(),
  /** The age identity file (its path only: read at run time, a plan never holds a key). */
  identityFile: z.string(),
  strictIndexes: z.boolean(),
  exactCount: z.boolean(),
  parallelCollections: z.number().int().min(1),
  insertWorkers: z.number().int().min(1),
});

export type BackupRestoreParams = z.infer<typeof BackupRestoreParamsSchema>;

/**
 * `backup.restore`: disaster recovery from an encrypted backup into protected databases, behind the
 * disaster-recovery guard, audited in the store (see `disasterRestore`).
 *
 * @throws OperationFailure carrying the result when a database's restore failed
 */
export const backupRestoreOperation: OperationKind<BackupRestoreParams> = {
  kind: 'backup.restore',
  params: BackupRestoreParamsSchema,
  async check(params, ctx) {
    const prepared = await prepareDisasterRestore(await openObjectStore(params.store), {
      backup: parseBackupRef(params.backup),
      db: params.db,
      targetUri: (await ctx.secrets.resolve(params.target)).reveal(),
      disasterRecovery: params.disasterRecovery,
      confirmations: params.confirmations,
      askAtTerminal: params.typed === null ? null : () => Promise.resolve(''),
    });
    for (const p of prepared.pairs) assertTargetAllowed(p.verdict, p.db);
  },
  async run(params, ctx) {
    const typed = params.typed;
    const result = await disasterRestore({
      store: params.store,
      backup: parseBackupRef(params.backup),
      targetUri: (await ctx.secrets.resolve(params.target)).reveal(),
      db: params.db,
      disasterRecovery: params.disasterRecovery,
      confirmations: params.confirmations,
      askAtTerminal: typed === null ? null : (db) => Promise.resolve(typed[db] ?? ''),
      drop: params.drop,
      identities: await readIdentityFile(params.identityFile),
      strictIndexes: params.strictIndexes,
      exactCount: params.exactCount,
      parallelCollections: params.parallelCollections,
      insertWorkers: params.insertWorkers,
      now: processClock(),
      onProgress: ctx.onProgress,
    });
    if (result.error) throw new OperationFailure(result.error, result);
    return result;
  },
};
