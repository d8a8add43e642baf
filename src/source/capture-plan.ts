import type { CollectionQuery } from './snapshot-source.js';

/** One collection of a capture plan (`snapshot create --dry-run`, `refresh --dry-run`). */
export interface CapturePlanRow {
  /** `db.coll`. */
  readonly namespace: string;
  /** `collection`, `view`, `timeseries`… */
  readonly type: string;
  readonly action: 'capture' | 'skip';
  /** The server's estimated count (null for views, skipped collections, and when a query applies). */
  readonly estimatedDocuments: number | null;
  readonly query: CollectionQuery | null;
}
