import { isRetryableDbforkError } from '../../core/retry.js';
import { isDbforkError } from '../../errors/index.js';
import { isTransientMongoError } from '../../mongodb/classify-mongo-error.js';

/**
 * Whether a failed backup attempt is worth another: errors labelled `retryable` (an unreachable
 * source, a store's throttling or network error), and a source read that failed for good only after
 * the capture's own retries on a transient driver error (a failover longer than they last).
 */
export function isRetryableBackupError(error: unknown): boolean {
  if (isRetryableDbforkError(error)) return true;
  return isDbforkError(error) && error.code === 'SOURCE_READ_FAILED' && isTransientMongoError(error.cause);
}
