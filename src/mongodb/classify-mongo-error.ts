import {
  MongoError,
  MongoNetworkError,
  MongoNetworkTimeoutError,
  MongoServerError,
  MongoServerSelectionError,
} from 'mongodb';
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

/** Server error codes of a cursor that is gone: CursorNotFound (43), CursorKilled (237). A client without value promotion reports codes as Int32, hence `Number()`. */
const CURSOR_LOST = new Set([43, 237]);

/**
 * The classifier of an `_id`-ordered read that can resume after its last document: transient errors
 * (see {@link isTransientMongoError}) and a lost cursor. A server may drop a cursor when the connection
 * that opened it closes (FerretDB does; the driver clears its whole pool after one network error, so a
 * reset on one connection kills every other collection's cursor), on failover, or after its idle
 * timeout; a new `find` after the last `_id` read continues the scan.
 */
export function isResumableReadError(error: unknown): boolean {
  if (error instanceof MongoServerError && CURSOR_LOST.has(Number(error.code))) {
    return true;
  }
  return isTransientMongoError(error);
}

/**
 * True when the server did not answer in time: a reply outside the socket timeout, or no server
 * found within the server selection timeout. A read retries such an error once, not as often as a
 * reset: a server that stalled twice in a row is down for this run, and the run must end within the
 * configured timeouts.
 */
export function isTimeoutError(error: unknown): boolean {
  return error instanceof MongoNetworkTimeoutError || error instanceof MongoServerSelectionError;
}

/**
 * A retry classifier for one operation that gives up on the second timeout in a row (see
 * {@link isTimeoutError}) and otherwise follows `base`. Stateful: make one per operation.
 */
export function untilSecondTimeout(base: (error: unknown) => boolean): (error: unknown) => boolean {
  let timedOut = false;
  return (error) => {
    const again = timedOut && isTimeoutError(error);
    timedOut = isTimeoutError(error);
    return !again && base(error);
  };
}
