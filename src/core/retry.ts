import { MongoNetworkError, MongoServerSelectionError, MongoError } from 'mongodb';
import { isDbforkError } from '../errors/index.js';

export interface RetryOptions {
  /** Attempts in all, including the first (default 5). */
  readonly attempts?: number;
  /** First backoff in ms (default 200); doubles each time, with ±50 % jitter. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms (default 5000). */
  readonly maxDelayMs?: number;
  readonly isRetryable?: (error: unknown) => boolean;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/**
 * True for errors worth another try: network errors, server selection timeouts, errors the server
 * labels retryable, and dbfork errors labelled `retryable`.
 */
export function isTransientError(error: unknown): boolean {
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) return true;
  if (
    error instanceof MongoError &&
    (error.hasErrorLabel('RetryableReadError') || error.hasErrorLabel('RetryableWriteError'))
  ) {
    return true;
  }
  return isDbforkError(error) && error.hasLabel('retryable');
}

/** Run `fn`, retrying transient failures with exponential backoff and jitter. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const isRetryable = options.isRetryable ?? isTransientError;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const delay = backoffDelay(attempt, options.baseDelayMs ?? 200, options.maxDelayMs ?? 5000);
      options.onRetry?.(error, attempt, delay);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}

/** Delay before retry number `attempt` (1-based), in ms. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exp = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(exp * (0.5 + Math.random() * 0.5));
}
