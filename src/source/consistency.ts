/**
 * How a capture makes its collections agree on one point in time (docs/consistency.md):
 * - `snapshot`: every collection read with `readConcern: {level: "snapshot", atClusterTime: T}`;
 * - `oplog`: the collections read as they are, then the oplog from the start optime to the end
 *   optime stored with them (`mongodump --oplog`); `restore --oplog-replay` brings them to the end;
 * - `none`: each collection as it is when read (a standalone server has nothing else);
 * - `auto` (the default): `snapshot` on a replica set or sharded cluster when the capture is expected
 *   to fit the server's history window, else `oplog`; `none` on a standalone.
 */
export const CONSISTENCY_MODES = ['auto', 'snapshot', 'oplog', 'none'] as const;

export type ConsistencyMode = (typeof CONSISTENCY_MODES)[number];

/** What a snapshot records of its consistency (manifest `consistency`). */
export interface ConsistencyRecord {
  /** The mode used (never `auto`). */
  readonly mode: Exclude<ConsistencyMode, 'auto'>;
  /** `snapshot`: the cluster time every read used, `Timestamp(<s>, <i>)`. */
  readonly atClusterTime?: string;
  /** `oplog`: the optime before the first read and the last entry's optime. */
  readonly startOptime?: string;
  readonly endOptime?: string;
  /** The member read from (`host:port`), as the server said in `hello`. */
  readonly member: string | null;
}
