import { isRetryableDbforkError, withRetry, type RetryOptions } from '../core/retry.js';
import { DbforkError, InternalError, isDbforkError } from '../errors/index.js';
import { hasAspect } from './aspects.js';
import type { OperationContext, OperationKind } from './operation-kind.js';
import { OperationFailure } from './operation-failure.js';
import type { PlanEventListener } from './plan-events.js';
import type { OperationResult } from './plan-result.js';
import type { PlanOperation } from './plan-schema.js';
import { waitForCondition, type WaitClock } from './wait-for-condition.js';

/** Retry tuning for `retryable` operations (default: 3 attempts, 500 ms first backoff). */
export type PlanRetryOptions = Pick<RetryOptions, 'attempts' | 'baseDelayMs' | 'maxDelayMs'>;

export interface RunOperationOptions {
  readonly ctx: OperationContext;
  readonly emit: PlanEventListener;
  readonly retry: PlanRetryOptions;
  readonly clock: WaitClock;
}

/**
 * Run one operation: the resume check (`isDone` → skipped "already done"), the wait for its
 * condition, then `run`, retried by error label when it is `retryable` (via `withRetry`). Never
 * throws: failures come back as a `failed` result.
 */
export async function runOperation<P>(
  op: PlanOperation,
  kind: OperationKind<P>,
  params: P,
  options: RunOperationOptions,
): Promise<OperationResult> {
  const started = Date.now();
  const base = { id: op.id, kind: op.kind };
  let attempts = 0;
  try {
    if (kind.isDone && (await kind.isDone(params, options.ctx))) {
      return {
        ...base,
        status: 'skipped',
        reason: 'already done',
        attempts,
        durationMs: Date.now() - started,
      };
    }
    if (op.waitFor) await waitFor(op, kind, params, options);
    const retryable = hasAspect(op.aspects, 'retryable');
    const output = await withRetry(
      () => {
        attempts++;
        return kind.run(params, options.ctx);
      },
      {
        attempts: retryable ? (options.retry.attempts ?? 3) : 1,
        baseDelayMs: options.retry.baseDelayMs ?? 500,
        ...(options.retry.maxDelayMs === undefined ? {} : { maxDelayMs: options.retry.maxDelayMs }),
        isRetryable: (error) =>
          isRetryableDbforkError(error instanceof OperationFailure ? error.error : error),
        onRetry: (error, attempt, delayMs) =>
          options.emit({
            schemaVersion: 1,
            type: 'operation-retry',
            id: op.id,
            attempt,
            delayMs,
            error: summary(toDbforkError(error)),
          }),
      },
    );
    return { ...base, status: 'succeeded', attempts, durationMs: Date.now() - started, output };
  } catch (thrown) {
    const error = toDbforkError(thrown);
    return {
      ...base,
      status: 'failed',
      reason: error.message,
      attempts,
      durationMs: Date.now() - started,
      error,
      ...(thrown instanceof OperationFailure ? { output: thrown.output } : {}),
    };
  }
}

async function waitFor<P>(
  op: PlanOperation,
  kind: OperationKind<P>,
  params: P,
  options: RunOperationOptions,
): Promise<void> {
  const ready = kind.ready;
  if (!ready) throw new InternalError(`operation kind ${op.kind} has no condition to wait for`);
  const outcome = await waitForCondition(
    () => ready.call(kind, params, options.ctx),
    op.waitFor!,
    (waitedMs, nextLookMs) =>
      options.emit({ schemaVersion: 1, type: 'operation-wait', id: op.id, waitedMs, nextLookMs }),
    options.clock,
  );
  if (outcome === true) return;
  throw (
    kind.timeoutError?.(params, outcome) ??
    new DbforkError('target', 'PLAN_WAIT_TIMEOUT', `${op.description}: not ready within ${outcome} ms`, {
      subject: { operation: op.id },
      hint: 'rerun later, or plan again with a longer wait',
    })
  );
}

/** Any thrown value as a DbforkError (unknown errors are bugs: InternalError). */
export function toDbforkError(thrown: unknown): DbforkError {
  if (thrown instanceof OperationFailure) return thrown.error;
  if (isDbforkError(thrown)) return thrown;
  return new InternalError(thrown instanceof Error ? thrown.message : String(thrown), { cause: thrown });
}

/** The part of an error an event carries. */
export function summary(error: DbforkError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}
