import type { Document } from 'mongodb';
import { SourceError, UsageError } from '../errors/index.js';
import type { ConsistencyMode } from '../source/consistency.js';
import type { CommandRunner } from './command-runner.js';
import { describeTopology } from './describe-topology.js';

/** The server's default `minSnapshotHistoryWindowInSeconds` (MongoDB 5.0+). */
export const DEFAULT_HISTORY_WINDOW_S = 300;
/**
 * The read rate `auto` assumes to estimate a capture's duration from the data size (bytes per
 * second): deliberately low (8 MiB/s), so `auto` picks `oplog` rather than risk `SnapshotTooOld`.
 */
export const ASSUMED_READ_RATE = 8 * 1024 * 1024;

/** What the capture will do, decided once before the first read. */
export interface ConsistencyDecision {
  readonly mode: Exclude<ConsistencyMode, 'auto'>;
  /** The member read from (`hello.me`). */
  readonly member: string | null;
  /** `snapshot`: the cluster time every read uses (the server's `operationTime` of `hello`). */
  readonly atClusterTime?: unknown;
  /** Why `auto` chose the mode, for the progress log. */
  readonly reason: string;
}

/**
 * Decide the consistency of a capture from the server's answers (`hello`, `getParameter`):
 * `snapshot` needs a replica set or sharded cluster and MongoDB 5.0+ (`atClusterTime` on
 * secondaries); `oplog` a replica set (a `local.oplog.rs`); `auto` picks `snapshot` when
 * `estimatedBytes / ASSUMED_READ_RATE` fits the history window, else `oplog` (`snapshot` on a
 * sharded cluster, which has no single oplog), and `none` on a standalone.
 *
 * @param estimatedBytes the data size the capture will read (dbStats `dataSize`)
 * @throws UsageError `CONSISTENCY_UNSUPPORTED` when the requested mode cannot run on this server
 */
export async function chooseConsistency(
  run: CommandRunner,
  requested: ConsistencyMode,
  estimatedBytes: number,
): Promise<ConsistencyDecision> {
  const topology = await describeTopology(run);
  const member = topology.me;
  if (requested === 'none') return { mode: 'none', member, reason: 'requested' };
  if (topology.kind === 'standalone') {
    if (requested === 'auto')
      return { mode: 'none', member, reason: 'a standalone server has no oplog or snapshot reads' };
    throw unsupported(requested, 'a standalone server has no oplog and no snapshot reads');
  }
  if (requested === 'oplog' && topology.kind === 'sharded')
    throw unsupported('oplog', 'a sharded cluster has no single oplog to read through mongos');
  const window = await historyWindow(run);
  const expectedS = estimatedBytes / ASSUMED_READ_RATE;
  const snapshot =
    requested === 'snapshot' ||
    (requested === 'auto' && (topology.kind === 'sharded' || expectedS <= window));
  if (!snapshot)
    return {
      mode: 'oplog',
      member,
      reason: `expected ${Math.ceil(expectedS)} s of reads exceed the ${window} s history window`,
    };
  const hello = await run('admin', { hello: 1 });
  const atClusterTime = hello.operationTime ?? (hello.$clusterTime as Document | undefined)?.clusterTime;
  if (atClusterTime === undefined)
    throw new SourceError('SOURCE_NO_CLUSTER_TIME', 'the source gave no cluster time to read at', {
      hint: 'snapshot reads need MongoDB 5.0+ on a replica set or sharded cluster; use --consistency oplog or none',
      labels: ['noWritesPerformed'],
    });
  return {
    mode: 'snapshot',
    member,
    atClusterTime,
    reason:
      requested === 'auto'
        ? `expected ${Math.ceil(expectedS)} s of reads fit the ${window} s history window`
        : 'requested',
  };
}

/** `minSnapshotHistoryWindowInSeconds`, or the default when the server does not say. */
export async function historyWindow(run: CommandRunner): Promise<number> {
  try {
    const reply = await run('admin', { getParameter: 1, minSnapshotHistoryWindowInSeconds: 1 });
    const value = Number(reply.minSnapshotHistoryWindowInSeconds?.valueOf());
    return Number.isFinite(value) && value > 0 ? value : DEFAULT_HISTORY_WINDOW_S;
  } catch {
    return DEFAULT_HISTORY_WINDOW_S;
  }
}

function unsupported(mode: string, why: string): UsageError {
  return new UsageError('CONSISTENCY_UNSUPPORTED', `--consistency ${mode} cannot run here: ${why}`, {
    hint: 'use --consistency auto (the default) or none',
  });
}
