import { TargetError } from '../errors/index.js';
import type { DbInstance } from '../rds/db-instance.js';
import { idsToDescribe, targetTree } from '../rds/clone-state.js';
import { oldId } from '../rds/clone-names.js';
import { TAG_LEASE } from '../rds/clone-tags.js';
import type { RdsApi } from '../rds/rds-port.js';
import { treeIds } from '../rds/replication-tree.js';
import { parseLease, type RunLease } from '../rds/run-lease.js';

/** Live state for planning or re-checking a clone. */
export interface CloneState {
  readonly state: Map<string, DbInstance>;
  /** The run lock found on the target root (under its own or its `old-` name). */
  readonly lease?: RunLease;
}

/**
 * Describe, by id, everything a clone of `source` onto `target` looks at: the source tree, the target
 * tree under its own, `old-` and `temp-` names (until no new id turns up), and the run lock.
 *
 * @throws TargetError `RDS_OLD_EXISTS` when `old-*` instances exist and no interrupted run holds the
 *   lock: they were kept by `--keep-old` or made by hand, and replacing them is not dbfork's call
 */
export async function loadCloneState(api: RdsApi, source: string, target: string): Promise<CloneState> {
  const state = new Map<string, DbInstance>();
  const asked = new Set<string>();
  const describe = async (ids: readonly string[]): Promise<boolean> => {
    const fresh = ids.filter((id) => !asked.has(id));
    fresh.forEach((id) => asked.add(id));
    for (const found of await Promise.all(fresh.map((id) => api.describe(id))))
      if (found) state.set(found.id, found);
    return fresh.length > 0;
  };
  await describe([source]);
  while (
    await describe(
      state.has(source) ? treeIds(state, source).flatMap((id) => [id, ...state.get(id)!.replicaIds]) : [],
    )
  );
  await describe([target, oldId(target)]);
  const lease =
    parseLease(state.get(target)?.tags[TAG_LEASE]) ?? parseLease(state.get(oldId(target))?.tags[TAG_LEASE]);
  while (await describe(idsToDescribe(state, target, lease?.runId)));
  const kept = targetTree(state, target, lease?.runId).find((n) => n.instance.id === oldId(n.logical));
  if (kept && !lease)
    throw new TargetError(
      'RDS_OLD_EXISTS',
      `${kept.instance.id} exists and no clone run holds ${target}'s lock`,
      {
        subject: { instance: kept.instance.id },
        hint: `it was kept by --keep-old or made by hand: delete or rename ${kept.instance.id}, then clone again`,
        labels: ['noWritesPerformed'],
      },
    );
  return { state, ...(lease ? { lease } : {}) };
}
