import { ArchiveError, type ErrorSubject } from '../errors/index.js';
import type { ArchiveErrorCode } from './archive-error-codes.js';

/** What an archive error points at. `offset` is in bytes, in the uncompressed stream (or the file). */
export interface ArchiveFailureSubject extends ErrorSubject {
  readonly namespace?: string;
  readonly offset?: number;
  readonly file?: string;
}

/** Build an {@link ArchiveError} with a typed code, a subject and a hint. */
export function archiveFailure(
  code: ArchiveErrorCode,
  message: string,
  subject: ArchiveFailureSubject,
  hint: string,
  cause?: unknown,
): ArchiveError {
  const clean: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(subject)) if (v !== undefined) clean[k] = v;
  return new ArchiveError(code, message, { subject: clean, hint, ...(cause === undefined ? {} : { cause }) });
}

/** The usual hint for a damaged dump. */
export const HINT_DAMAGED =
  'the dump is damaged or was cut short: take it again (mongodump or dbfork snapshot create) or use another copy';
