/**
 * What one run of a long command reports to monitoring: which command, on which database, how it
 * ended, when, and its figures. Rendered by {@link ./run-metrics.ts} as Prometheus metrics whose labels
 * stay bounded: command, database, collection and outcome only, never a snapshot id, timestamp or URI.
 */

/** How a run ended. */
export type RunOutcome = 'success' | 'failure';

/** One collection's figures in a run. */
export interface CollectionFigures {
  /** The collection name, without its database (with it, `db.coll`, for a run over several). */
  readonly collection: string;
  readonly documents: number;
  /** BSON bytes, in bytes. */
  readonly bytes: number;
}

/** A run's figures, as its result (or its progress, for a run that failed) gives them. */
export interface RunFigures {
  readonly documents: number;
  /** BSON bytes, in bytes. */
  readonly bytes: number;
  readonly collections: readonly CollectionFigures[];
}

/** The bounded labels of a run. */
export interface RunLabels {
  /** The command, in snake case: `snapshot_create`, `restore`, `refresh`, `anonymize`, `snapshot_prune`, `apply`. */
  readonly command: string;
  /** The database the run is about, or `''` when it has none (`anonymize` works on files). */
  readonly database: string;
}

export interface RunReport extends RunLabels {
  readonly outcome: RunOutcome;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** Absent when the run ended before it had any (a usage error, a refused guard). */
  readonly figures?: RunFigures;
  /** What the store holds after the run (snapshot create, snapshot prune), when measured. */
  readonly store?: { readonly snapshots: number; readonly bytes: number };
}

/**
 * Figures from per-collection rows: totals are the rows' sums. A namespace `db.coll` is reduced to its
 * collection name (the database is a label of its own), unless `qualified`: for a run over several
 * databases (a dump), whose collections keep their database.
 */
export function figuresOf(
  rows: readonly { readonly namespace: string; readonly documents: number; readonly bytes: number }[],
  qualified = false,
): RunFigures {
  const collections = rows.map((r) => ({
    collection: qualified ? r.namespace : r.namespace.slice(r.namespace.indexOf('.') + 1),
    documents: r.documents,
    bytes: r.bytes,
  }));
  return {
    documents: collections.reduce((n, c) => n + c.documents, 0),
    bytes: collections.reduce((n, c) => n + c.bytes, 0),
    collections,
  };
}
