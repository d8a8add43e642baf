import { appendFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { scrub } from '../core/redact.js';
import { UsageError, type DbforkError } from '../errors/index.js';
import { auditFallbackFile, flushAuditFallback, queueAuditRecord } from '../store/audit-fallback.js';
import {
  appendAuditRecord,
  detectActor,
  newAuditId,
  type AuditActor,
  type AuditRecord,
} from '../store/audit-log.js';
import type { ObjectStore } from '../store/object-store.js';
import { openObjectStore } from '../store/open-snapshot-store.js';
import { newRunId } from '../restore/swap-names.js';
import type { AuditSubject } from './audit-subject.js';
import type { Logger } from './logger.js';

/** How long one record may take to reach the store before it goes to the fallback file, in ms. */
const STORE_TIMEOUT_MS = 10_000;

export interface AuditTrailOptions {
  /** `--audit-log <file>`: every record also as one JSON line there. */
  readonly file?: string;
  readonly logger: Logger;
  readonly actor?: AuditActor;
  /** The fallback file (default {@link auditFallbackFile}). */
  readonly fallback?: string;
  readonly now?: () => Date;
}

/** How a run ended, for its end record. */
export type AuditEnd = {
  readonly outcome: 'succeeded' | 'failed' | 'interrupted';
  readonly error?: DbforkError;
};

/**
 * The audit records of one run: `start` writes the `started` record before the command's first
 * effect, `end` the outcome. Each record goes into the store (`audit/<day>/<id>.json`, create-only)
 * and, with `--audit-log`, as a line into that file. A store that cannot be reached within 10 s
 * gets the record later: it waits in the local fallback file, which the next run that reaches the
 * store flushes first; a warning says so once. Every record is scrubbed of registered secrets and
 * URI credentials before it is written.
 */
export class AuditTrail {
  readonly #subject: AuditSubject;
  readonly #o: AuditTrailOptions;
  readonly #runId = newRunId();
  readonly #actor: AuditActor;
  readonly #now: () => Date;
  #store: ObjectStore | null = null;
  #warned = false;
  #ended = false;

  constructor(subject: AuditSubject, options: AuditTrailOptions) {
    // scrubbed once, as given: secrets registered later (a resolved connection) cannot blank it
    this.#subject = JSON.parse(scrub(JSON.stringify(subject))) as AuditSubject;
    this.#o = options;
    this.#actor = options.actor ?? detectActor();
    this.#now = options.now ?? (() => new Date());
  }

  get runId(): string {
    return this.#runId;
  }

  /** Who acts, as the records name it. */
  get actor(): string {
    return this.#actor.name;
  }

  /**
   * Write the `started` record. Before it, waiting fallback records for this store are flushed.
   * @throws UsageError `AUDIT_LOG_UNWRITABLE` when `--audit-log` cannot be written (nothing has run yet)
   */
  async start(): Promise<void> {
    const record = this.#record('started');
    if (this.#o.file !== undefined) {
      try {
        appendLine(this.#o.file, record);
      } catch (error) {
        throw new UsageError('AUDIT_LOG_UNWRITABLE', `cannot write the audit log ${this.#o.file}`, {
          subject: { file: this.#o.file },
          hint: 'give --audit-log a writable file; nothing was done',
          cause: error,
        });
      }
    }
    if (this.#subject.storeUrl === null) return;
    try {
      this.#store = await bounded(openObjectStore(this.#subject.storeUrl));
      const sent = await bounded(flushAuditFallback(this.#fallback(), this.#store));
      if (sent > 0) this.#o.logger.info({ sent }, 'audit records from the fallback file sent to the store');
    } catch (error) {
      this.#warn(error);
    }
    await this.#toStore(record);
  }

  /**
   * Write the end record (once; later calls do nothing). Never throws: a failure is logged.
   * @param details - what the run learnt (snapshot id, figures)
   * @param learnt - the rules digest and anonymization the run reports, over the start record's
   */
  async end(
    end: AuditEnd,
    details: Record<string, unknown> = {},
    learnt: Pick<Partial<AuditRecord>, 'rulesDigest' | 'anonymized'> = {},
  ): Promise<void> {
    if (this.#ended) return;
    this.#ended = true;
    const record = this.#record(end.outcome, {
      ...learnt,
      ...(end.error ? { error: { code: end.error.code, message: end.error.message } } : {}),
      ...(Object.keys(details).length > 0 ? { details } : {}),
    });
    if (this.#o.file !== undefined) {
      try {
        appendLine(this.#o.file, record);
      } catch (error) {
        this.#o.logger.warn(
          { code: 'AUDIT_LOG_UNWRITABLE', file: this.#o.file, error: (error as Error).message },
          'the end record could not be written to the audit log',
        );
      }
    }
    if (this.#subject.storeUrl !== null) await this.#toStore(record);
  }

  #record(outcome: AuditRecord['outcome'], extra: Partial<AuditRecord> = {}): AuditRecord {
    const at = this.#now();
    const s = this.#subject;
    const record: AuditRecord = {
      schemaVersion: 1,
      id: newAuditId(at),
      at: at.toISOString(),
      action: s.action,
      runId: this.#runId,
      outcome,
      command: s.command,
      host: hostname(),
      pid: process.pid,
      actor: this.#actor,
      source: s.source,
      target: s.target,
      rulesDigest: s.rulesDigest,
      anonymized: s.anonymized,
      ...(JSON.parse(scrub(JSON.stringify(extra))) as Partial<AuditRecord>),
    };
    return record;
  }

  async #toStore(record: AuditRecord): Promise<void> {
    const url = this.#subject.storeUrl as string;
    try {
      if (this.#store === null) throw new Error('the store could not be opened');
      await bounded(appendAuditRecord(this.#store, record));
    } catch (error) {
      this.#warn(error);
      try {
        queueAuditRecord(this.#fallback(), url, record);
      } catch (queueError) {
        this.#o.logger.error(
          { code: 'AUDIT_RECORD_LOST', file: this.#fallback(), error: (queueError as Error).message },
          'an audit record could be written neither to the store nor to the fallback file',
        );
      }
    }
  }

  #warn(error: unknown): void {
    if (this.#warned) return;
    this.#warned = true;
    this.#o.logger.warn(
      {
        code: 'AUDIT_STORE_UNREACHABLE',
        store: this.#subject.storeUrl,
        fallback: this.#fallback(),
        error: scrub((error as Error).message),
      },
      'audit records kept in the local fallback file; the next run that reaches the store sends them',
    );
  }

  #fallback(): string {
    return this.#o.fallback ?? auditFallbackFile();
  }
}

function appendLine(file: string, record: AuditRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  appendFileSync(file, JSON.stringify(record) + '\n', { mode: 0o600 });
}

function bounded<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${STORE_TIMEOUT_MS / 1000} s`)),
      STORE_TIMEOUT_MS,
    );
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
