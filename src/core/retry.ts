import { isDbforkError } from '../errors/index.js';

/** Decides whether a failed attempt is worth another: engine adapters inject their driver's rules. */
export type RetryClassifier = (error: unknown) => boolean;

export interface RetryOptions {
  /** Attempts in all, including the first (default 5). */
  readonly attempts?: number;
  /** First backoff in ms (default 200); doubles each time, with ±50 % jitter. */
  readonly baseDelayMs?: number;
  /** Backoff ceiling in ms (default 5000). */
  readonly maxDelayMs?: number;
  /** Which errors are transient (default {@link isRetryableDbforkError}). */
  readonly isRetryable?: RetryClassifier;
  /** Called before each wait, e.g. to log. */
  readonly onRetry?: (error: unknown, attempt: number, delayMs: number) => void;
}

/** True for dbfork errors labelled `retryable`: the engine-neutral part of every classifier. */
export function isRetryableDbforkError(error: unknown): boolean {
  return isDbforkError(error) && error.hasLabel('retryable');
}

/** Run `fn`, retrying transient failures with exponential backoff and jitter. */
export async function withRetry<T>(
  fn: (attempt: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? 5;
  const isRetryable = options.isRetryable ?? isRetryableDbforkError;
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
