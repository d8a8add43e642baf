import type { SourceConsistency, Topology } from '../source/source-description.js';
import { historyWindow } from './choose-consistency.js';
import type { CommandRunner } from './command-runner.js';
import { replicationLagMs } from './replication-lag.js';

/**
 * Which `--consistency` modes a server supports (docs/consistency.md), from its topology and
 * version: `snapshot` on a replica set or sharded cluster of MongoDB 5.0+ (`atClusterTime` reads on
 * any member), `oplog` on a replica set (one `local.oplog.rs`), `none` everywhere; with the history
 * window `auto` compares against and the read member's replication lag.
 */
export async function consistencySupport(
  run: CommandRunner,
  topology: Topology,
  version: string,
): Promise<SourceConsistency> {
  const major = Number(version.split('.')[0]);
  const replicated = topology.kind !== 'standalone';
  const modes: SourceConsistency['modes'][number][] = [];
  if (replicated && Number.isFinite(major) && major >= 5) modes.push('snapshot');
  if (topology.kind === 'replicaSet') modes.push('oplog');
  modes.push('none');
  return {
    modes,
    historyWindowS: replicated ? await historyWindow(run) : null,
    replicationLagMs: topology.kind === 'replicaSet' ? await replicationLagMs(run) : null,
  };
}
