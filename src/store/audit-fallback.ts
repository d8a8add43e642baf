import { appendFileSync, mkdirSync, readFileSync, renameSync, unlinkSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { isDbforkError } from '../errors/index.js';
import { AuditRecordSchema, appendAuditRecord, type AuditRecord } from './audit-log.js';
import type { ObjectStore } from './object-store.js';

/**
 * The local fallback of the audit log: records that could not reach their store wait here, one JSON
 * line each (`{"store": "<url>", "record": {…}}`, mode 0600), until a later run that reaches that
 * store flushes them. Default file: `$DBFORK_AUDIT_FALLBACK`, else
 * `$XDG_STATE_HOME/dbfork/audit-pending.jsonl` (`~/.local/state/…`).
 */
export function auditFallbackFile(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DBFORK_AUDIT_FALLBACK) return env.DBFORK_AUDIT_FALLBACK;
  const state = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(state, 'dbfork', 'audit-pending.jsonl');
}

/** Keep a record for `storeUrl` in the fallback file (synchronous: it also runs while exiting). */
export function queueAuditRecord(file: string, storeUrl: string, record: AuditRecord): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  appendFileSync(file, JSON.stringify({ store: storeUrl, record }) + '\n', { mode: 0o600 });
}

/**
 * Send the records waiting for `store` into it (create-only: a record already there is not written
 * twice), keep the others. The file is first renamed aside, so records queued meanwhile by another
 * run are not lost; what cannot be sent now goes back into the file.
 *
 * @returns how many records were sent
 */
export async function flushAuditFallback(file: string, store: ObjectStore): Promise<number> {
  const aside = `${file}.${process.pid}.flushing`;
  try {
    renameSync(file, aside);
  } catch {
    return 0; // nothing waiting
  }
  let sent = 0;
  const keep: string[] = [];
  let reachable = true;
  for (const line of readFileSync(aside, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const entry = parseEntry(line);
    if (entry === null) continue;
    if (!reachable || entry.store !== store.url) {
      keep.push(line);
      continue;
    }
    try {
      await appendAuditRecord(store, entry.record);
      sent++;
    } catch (error) {
      if (isDbforkError(error) && error.code === 'STORE_PRECONDITION_FAILED') continue;
      reachable = false;
      keep.push(line);
    }
  }
  if (keep.length > 0) appendFileSync(file, keep.join('\n') + '\n', { mode: 0o600 });
  unlinkSync(aside);
  return sent;
}

function parseEntry(line: string): { store: string; record: AuditRecord } | null {
  try {
    const value = JSON.parse(line) as { store?: unknown; record?: unknown };
    const record = AuditRecordSchema.safeParse(value.record);
    return typeof value.store === 'string' && record.success
      ? { store: value.store, record: record.data }
      : null;
  } catch {
    return null;
  }
}
