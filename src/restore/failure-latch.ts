import type { DbforkError } from '../errors/index.js';
import type { CollectionLoad } from './collection-load.js';
import { blame, type RestoreFault } from './restore-faults.js';

/**
 * The first failure of a run, which stops it: batches and finishers running beside the stream record
 * theirs here, and the stream loop checks it before each pull. Later failures only mark their
 * collection.
 */
export class FailureLatch {
  #first: DbforkError | null = null;

  /** The first failure recorded, or null. */
  get error(): DbforkError | null {
    return this.#first;
  }

  /**
   * Record a failure, classified by `fault` when it is not a dbfork error yet.
   *
   * @param load - the collection it failed, when it failed one
   * @returns the failure as recorded
   */
  record(error: unknown, fault: RestoreFault, load?: CollectionLoad): DbforkError {
    const e = blame(error, fault);
    if (load) load.failed ??= e.message;
    this.#first ??= e;
    return e;
  }
}
