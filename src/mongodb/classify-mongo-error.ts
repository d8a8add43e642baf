import { MongoError, MongoNetworkError, MongoServerSelectionError } from 'mongodb';
import { isRetryableDbforkError } from '../core/retry.js';

/**
 * The MongoDB driver's retry classifier for `withRetry`: true for network errors, server selection
 * timeouts, errors the server labels `RetryableReadError` / `RetryableWriteError`, and dbfork errors
 * labelled `retryable`. Everything else (a refused command, a bad document) is permanent.
 */
export function isTransientMongoError(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (
    error instanceof MongoError &&
    (error.hasErrorLabel('RetryableReadError') || error.hasErrorLabel('RetryableWriteError'))
  ) {
    return true;
  }
  return isRetryableDbforkError(error);
}
