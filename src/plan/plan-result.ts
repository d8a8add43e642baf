import type { DbforkError } from '../errors/index.js';

/**
 * One operation's outcome:
 * - `succeeded`: it ran (after `attempts` tries);
 * - `failed`: it ran and failed for good (`error`);
 * - `skipped`: it did not run; `reason` says why (`already done`, `dry run`, `an earlier operation
 *   failed`, a refusal).
 */
export interface OperationResult {
  readonly id: string;
  readonly kind: string;
  readonly status: 'succeeded' | 'failed' | 'skipped';
  readonly reason?: string;
  /** Tries made (0 when skipped). */
  readonly attempts: number;
  /** Wall time including waits and retries, in ms. */
  readonly durationMs: number;
  readonly output?: unknown;
  readonly error?: DbforkError;
  /** Set when its effect was undone because a later operation failed. */
  readonly compensation?: { readonly status: 'succeeded' | 'failed'; readonly error?: DbforkError };
}

/** A plan run as data: `executePlan` never throws for a failed step; `error` is the first failure. */
export interface PlanResult {
  readonly schemaVersion: 1;
  readonly ok: boolean;
  readonly dryRun: boolean;
  readonly operations: readonly OperationResult[];
  /** Wall time, in ms. */
  readonly durationMs: number;
  /** The refusal or the first failure; absent when `ok`. */
  readonly error?: DbforkError;
}
