import { NO_PROGRESS, type ProgressListener } from '../core/progress.js';
import { PolicyError, type DbforkError } from '../errors/index.js';
import type { OperationContext } from './operation-kind.js';
import type { OperationRegistry } from './operation-registry.js';
import type { PlanEvent, PlanEventListener } from './plan-events.js';
import type { OperationResult, PlanResult } from './plan-result.js';
import type { Plan, PlanOperation } from './plan-schema.js';
import { needingConfirmation, preparePlan, type PreparedOperation } from './prepare-plan.js';
import { runOperation, summary, toDbforkError, type PlanRetryOptions } from './run-operation.js';
import { createSecretResolver, type SecretResolver } from './secret-resolver.js';
import { REAL_CLOCK, type WaitClock } from './wait-for-condition.js';

export interface ExecutePlanOptions {
  readonly registry: OperationRegistry;
  /** Resolves references at apply time (default: environment and files only). */
  readonly secrets?: SecretResolver;
  /** Print-only: every operation is skipped ("dry run"), nothing is called, not even live checks. */
  readonly dryRun?: boolean;
  /** Let operations that run external commands run. */
  readonly allowCommands?: boolean;
  /** Asked once, before anything runs, when an operation `needs-confirmation`; absent means no. */
  readonly confirm?: (operations: readonly PlanOperation[]) => boolean | Promise<boolean>;
  readonly onEvent?: PlanEventListener;
  /** The operations' own progress (collections, warnings). */
  readonly onProgress?: ProgressListener;
  readonly retry?: PlanRetryOptions;
  readonly clock?: WaitClock;
}

/**
 * Run a plan, the one way every mutating command runs. Before anything runs: kinds and parameters,
 * the recorded guard verdict, `--allow-commands`, dry run, each operation's live `check`, then
 * confirmation; a refusal skips every operation. Then, in order: each operation runs (resume check,
 * wait, retries by label). After a failure, the earlier succeeded operations are compensated in
 * reverse order, later operations are skipped, except `alwaysRun` ones, which still run.
 *
 * @returns the per-operation result set; it never throws for a refused or failed operation
 */
export async function executePlan(plan: Plan, options: ExecutePlanOptions): Promise<PlanResult> {
  const started = Date.now();
  const emit = options.onEvent ?? (() => undefined);
  const dryRun = Boolean(options.dryRun);
  const ctx: OperationContext = {
    secrets: options.secrets ?? createSecretResolver(),
    onProgress: options.onProgress ?? NO_PROGRESS,
  };
  emit({
    schemaVersion: 1,
    type: 'plan-start',
    command: plan.command,
    operations: plan.operations.length,
    dryRun,
  });
  const finish = (operations: OperationResult[], error?: DbforkError): PlanResult => {
    const durationMs = Date.now() - started;
    emit({
      schemaVersion: 1,
      type: 'plan-end',
      ok: !error,
      durationMs,
      ...(error ? { error: summary(error) } : {}),
    });
    return { schemaVersion: 1, ok: !error, dryRun, operations, durationMs, ...(error ? { error } : {}) };
  };
  const skipAll = (reason: string): OperationResult[] =>
    plan.operations.map((op) =>
      ended(emit, { id: op.id, kind: op.kind, status: 'skipped', reason, attempts: 0, durationMs: 0 }),
    );

  const ready = preparePlan(plan, options.registry, Boolean(options.allowCommands));
  if ('refusal' in ready) return finish(skipAll(`refused: ${ready.refusal.code}`), ready.refusal);
  if (dryRun) return finish(skipAll('dry run'));
  const refusal = await gate(ready.prepared, ctx, options.confirm);
  if (refusal) return finish(skipAll(`refused: ${refusal.code}`), refusal);

  const results: OperationResult[] = [];
  let failure: DbforkError | undefined;
  for (const step of ready.prepared) {
    if (failure && !step.op.alwaysRun) {
      results.push(
        ended(emit, {
          id: step.op.id,
          kind: step.op.kind,
          status: 'skipped',
          reason: 'an earlier operation failed',
          attempts: 0,
          durationMs: 0,
        }),
      );
      continue;
    }
    emit({
      schemaVersion: 1,
      type: 'operation-start',
      id: step.op.id,
      kind: step.op.kind,
      description: step.op.description,
    });
    const result = ended(
      emit,
      await runOperation(step.op, step.kind, step.params, {
        ctx,
        emit,
        retry: options.retry ?? {},
        clock: options.clock ?? REAL_CLOCK,
      }),
    );
    results.push(result);
    if (result.status === 'failed' && !failure) {
      failure = result.error;
      await compensate(ready.prepared, results, ctx, emit);
    }
  }
  return finish(results, failure);
}

/** Live checks, then confirmation. @returns the refusal, if any */
async function gate(
  prepared: readonly PreparedOperation[],
  ctx: OperationContext,
  confirm: ExecutePlanOptions['confirm'],
): Promise<DbforkError | undefined> {
  for (const step of prepared) {
    try {
      await step.kind.check?.(step.params, ctx);
    } catch (error) {
      return toDbforkError(error);
    }
  }
  const asking = needingConfirmation(prepared);
  if (asking.length === 0 || (confirm && (await confirm(asking)))) return undefined;
  return new PolicyError(
    'PLAN_NOT_CONFIRMED',
    `${asking.length} operation(s) need confirmation: ${asking.map((o) => o.id).join(', ')}`,
    {
      hint: 'read the plan, then run it again with --yes (or answer y on a terminal)',
      labels: ['noWritesPerformed'],
    },
  );
}

/** Undo every succeeded operation with a `compensate`, newest first; records the outcome on its result. */
async function compensate(
  prepared: readonly PreparedOperation[],
  results: OperationResult[],
  ctx: OperationContext,
  emit: PlanEventListener,
): Promise<void> {
  for (let i = results.length - 2; i >= 0; i--) {
    const result = results[i];
    const step = prepared[i];
    if (!result || !step?.kind.compensate || result.status !== 'succeeded') continue;
    let compensation: NonNullable<OperationResult['compensation']>;
    try {
      await step.kind.compensate(step.params, result.output, ctx);
      compensation = { status: 'succeeded' };
    } catch (error) {
      compensation = { status: 'failed', error: toDbforkError(error) };
    }
    results[i] = { ...result, compensation };
    const event: PlanEvent = {
      schemaVersion: 1,
      type: 'compensation-end',
      id: step.op.id,
      status: compensation.status,
      ...(compensation.error ? { error: summary(compensation.error) } : {}),
    };
    emit(event);
  }
}

function ended(emit: PlanEventListener, result: OperationResult): OperationResult {
  emit({
    schemaVersion: 1,
    type: 'operation-end',
    id: result.id,
    kind: result.kind,
    status: result.status,
    ...(result.reason === undefined ? {} : { reason: result.reason }),
    attempts: result.attempts,
    durationMs: result.durationMs,
    ...(result.error ? { error: summary(result.error) } : {}),
  });
  return result;
}
