import type { DbforkError } from '../errors/index.js';

/**
 * Thrown by an operation that failed but has an output worth keeping (a restore's per-collection
 * result set): the executor records both, and retries and reports on `error`.
 */
export class OperationFailure extends Error {
  readonly error: DbforkError;
  readonly output: unknown;

  constructor(error: DbforkError, output: unknown) {
    super(error.message, { cause: error });
    this.name = 'OperationFailure';
    this.error = error;
    this.output = output;
  }
}
