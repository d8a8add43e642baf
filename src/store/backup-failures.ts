import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ObjectStore } from './object-store.js';
import { readObjectJson } from './object-text.js';

/**
 * Failure records of backups: `<name>/failures/<YYYYMMDDTHHMMSSmmmZ>-<hex>.json`, one small JSON
 * object per run that failed after its retries, so `backup status` can show the last failure next
 * to the last success. Keys sort in time order. Never holds credentials: the source is recorded
 * without user info, the error by its code and scrubbed message.
 */
const BackupFailureSchema = z.object({
  name: z.string(),
  /** ISO 8601 UTC: when the run gave up. */
  failedAt: z.string(),
  /** ISO 8601 UTC: when the run started. */
  startedAt: z.string(),
  attempts: z.number().int().positive(),
  source: z.object({ uri: z.string(), databases: z.array(z.string()), allDatabases: z.boolean() }),
  error: z.object({ code: z.string(), category: z.string(), message: z.string() }),
});

export type BackupFailure = z.infer<typeof BackupFailureSchema>;

function failurePrefix(name: string): string {
  return `${name}/failures/`;
}

/**
 * Write a failure record.
 * @returns its key
 * @throws StoreError `STORE_WRITE_FAILED`
 */
export async function recordBackupFailure(store: ObjectStore, failure: BackupFailure): Promise<string> {
  const stamp = failure.failedAt.replace(/[-:]/g, '').replace('.', '');
  const key = `${failurePrefix(failure.name)}${stamp}-${randomBytes(2).toString('hex')}.json`;
  await store.put(key, JSON.stringify(failure) + '\n');
  return key;
}

/** The newest failure record of a backup name, or null when it has none. */
export async function lastBackupFailure(store: ObjectStore, name: string): Promise<BackupFailure | null> {
  const { objects } = await store.list(failurePrefix(name), { delimiter: '/' });
  for (const { key } of [...objects].reverse()) {
    const parsed = BackupFailureSchema.safeParse(await readObjectJson(store, key));
    if (parsed.success) return parsed.data;
  }
  return null;
}
