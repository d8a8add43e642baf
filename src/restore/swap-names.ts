import { randomBytes } from 'node:crypto';

import {
  isWorkCollection,
  JOURNAL_COLLECTION,
  SNAPSHOT_METADATA_COLLECTION,
  WORK_PREFIX,
} from '../core/own-collections.js';

export { isWorkCollection, JOURNAL_COLLECTION, SNAPSHOT_METADATA_COLLECTION, WORK_PREFIX };

/** Where a new collection loads: `__dbfork_tmp_<runId>_<coll>`. */
export function tempName(runId: string, collection: string): string {
  return `${WORK_PREFIX}tmp_${runId}_${collection}`;
}

/** Where the old collection waits during a stepwise swap: `__dbfork_old_<runId>_<coll>`. */
export function asideName(runId: string, collection: string): string {
  return `${WORK_PREFIX}old_${runId}_${collection}`;
}

/** A run id: 8 lowercase hex digits, unique enough per target db. */
export function newRunId(): string {
  return randomBytes(4).toString('hex');
}
