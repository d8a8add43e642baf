import { EXIT_CODES, type ErrorCategory } from './error-codes.js';

/** Labels describe how an error may be handled, independent of its category (as the driver's labels do). */
export type ErrorLabel = 'retryable' | 'noWritesPerformed' | 'partialWrite';

/** What an error names as being at fault: a namespace, a file and line, a field path, a byte offset. */
export interface ErrorSubject {
  readonly namespace?: string;
  readonly file?: string;
  readonly line?: number;
  readonly fieldPath?: string;
  /** Byte offset into an archive or file. */
  readonly offset?: number;
  readonly [key: string]: string | number | undefined;
}

export interface DbforkErrorOptions {
  /** What to do about it, one sentence. */
  readonly hint?: string;
  readonly subject?: ErrorSubject;
  readonly labels?: readonly ErrorLabel[];
  readonly cause?: unknown;
}

/**
 * Base of every error dbfork throws on purpose. `code` is stable (e.g. `ARCHIVE_CRC_MISMATCH`),
 * `category` says who is at fault and decides the exit code (see {@link EXIT_CODES}).
 * Messages are sentence case without a final period and must never contain secrets.
 */
export class DbforkError extends Error {
  readonly code: string;
  readonly category: ErrorCategory;
  readonly hint: string | undefined;
  readonly subject: ErrorSubject;
  readonly labels: ReadonlySet<ErrorLabel>;

  constructor(category: ErrorCategory, code: string, message: string, options: DbforkErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.category = category;
    this.code = code;
    this.hint = options.hint;
    this.subject = options.subject ?? {};
    this.labels = new Set(options.labels ?? []);
  }

  get exitCode(): number {
    return EXIT_CODES[this.category];
  }

  hasLabel(label: ErrorLabel): boolean {
    return this.labels.has(label);
  }

  /** A JSON-safe form for `--json` output. */
  toJSON(): Record<string, unknown> {
    return {
      code: this.code,
      category: this.category,
      message: this.message,
      hint: this.hint,
      subject: this.subject,
      labels: [...this.labels],
    };
  }
}

/** Bad flags, config or rules: the caller must fix the input. */
export class UsageError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('usage', code, message, options);
  }
}

/** The source server could not be reached or refused a read. */
export class SourceError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('source', code, message, options);
  }
}

/** An archive or dump is malformed, truncated or fails its checksums. */
export class ArchiveError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('archive', code, message, options);
  }
}

/** Anonymization could not transform a value safely (fail-closed). */
export class TransformError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('transform', code, message, options);
  }
}

/** The snapshot store is missing, unreadable or holds something unexpected. */
export class StoreError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('store', code, message, options);
  }
}

/** The target server failed a write or a verification. */
export class TargetError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('target', code, message, options);
  }
}

/** A safety rule refused the operation (target guard, unkeyed anonymization, missing confirmation). */
export class PolicyError extends DbforkError {
  constructor(code: string, message: string, options?: DbforkErrorOptions) {
    super('policy', code, message, options);
  }
}

/** A bug in dbfork: something that should be impossible happened. */
export class InternalError extends DbforkError {
  constructor(message: string, options?: DbforkErrorOptions) {
    super('internal', 'INTERNAL', message, {
      hint: 'this is a bug in dbfork; please report it with the command you ran (secrets removed)',
      ...options,
    });
  }
}

/** True for any error dbfork threw on purpose. */
export function isDbforkError(error: unknown): error is DbforkError {
  return error instanceof DbforkError;
}
