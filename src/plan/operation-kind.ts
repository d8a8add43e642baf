import type { z } from 'zod';
import type { ProgressListener } from '../core/progress.js';
import type { DbforkError } from '../errors/index.js';
import type { SecretResolver } from './secret-resolver.js';

/** What an operation gets while it runs. */
export interface OperationContext {
  /** Resolves the plan's connection and secret references (apply time only). */
  readonly secrets: SecretResolver;
  /** The operation's own progress (collections, warnings). */
  readonly onProgress: ProgressListener;
}

/**
 * An operation kind's implementation, in the manner of the MongoDB driver's `AbstractOperation`:
 * the executor decides when and how often to call it; the kind only knows its own effect.
 * Every method gets the parameters parsed by {@link params}.
 */
export interface OperationKind<P = unknown> {
  /** Registry key, e.g. `restore.run`. */
  readonly kind: string;
  /** Parameters as they appear in the plan (JSON, references for connections and secrets). */
  readonly params: z.ZodType<P>;
  /** The kind runs an external command: refused unless the executor is given `allowCommands`. */
  readonly runsCommands?: boolean;
  /**
   * Live re-check before anything of the plan runs (target guard, the state the plan assumed).
   * @throws the refusal (e.g. PolicyError from the guard): then no operation runs
   */
  check?(params: P, ctx: OperationContext): Promise<void>;
  /** Resume hook: true when the effect is already in place (the operation is skipped, "already done"). */
  isDone?(params: P, ctx: OperationContext): Promise<boolean>;
  /** For operations with `waitFor`: true once the condition holds. */
  ready?(params: P, ctx: OperationContext): Promise<boolean>;
  /** The error when `waitFor`'s deadline passes (default `PLAN_WAIT_TIMEOUT`). */
  timeoutError?(params: P, waitedMs: number): DbforkError;
  /** Do it. Returns a JSON-safe output recorded in the result (and given to {@link compensate}). */
  run(params: P, ctx: OperationContext): Promise<unknown>;
  /** Undo a successful run when a later operation of the plan fails (a rollback). */
  compensate?(params: P, output: unknown, ctx: OperationContext): Promise<void>;
}
