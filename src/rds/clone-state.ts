import type { DbInstance, InstanceMap } from './db-instance.js';
import { isCloneOf } from './clone-tags.js';
import { logicalId, oldId, tempId } from './clone-names.js';

/** One instance of the target tree as it was before the clone began, by its target-tree name. */
export interface TargetNode {
  /** Its name in the target tree (`db-replica`), whatever it is called now. */
  readonly logical: string;
  /** Its logical parent; absent for the root. */
  readonly parent?: string;
  /** Its attributes, read from where it is now (`db-replica` or `old-db-replica`). */
  readonly instance: DbInstance;
  /** Whether it has replicas of its own (its copy then needs backups). */
  readonly hasReplicas: boolean;
}

/**
 * The instance that stands for the original target-tree node `logical`: `old-<logical>` once renamed,
 * else `<logical>` unless that is already run `runId`'s copy.
 */
export function originalOf(
  state: InstanceMap,
  logical: string,
  runId: string | undefined,
): DbInstance | undefined {
  const renamed = state.get(oldId(logical));
  if (renamed) return renamed;
  const current = state.get(logical);
  return current && !(runId !== undefined && isCloneOf(current.tags, runId)) ? current : undefined;
}

/** Run `runId`'s copy of `logical`: `temp-<logical>`, or `<logical>` once renamed. */
export function copyOf(state: InstanceMap, logical: string, runId: string): DbInstance | undefined {
  const temp = state.get(tempId(logical));
  if (temp) return temp;
  const current = state.get(logical);
  return current && isCloneOf(current.tags, runId) ? current : undefined;
}

/**
 * The target tree as it was before run `runId` began, breadth first, reconstructed from the live state
 * of a run that may be partly done: a node renamed to `old-*` is found there, and replica links are
 * read by logical name, so a link naming `db-replica` or `old-db-replica` leads to the same node.
 * Nodes absent from `state` (not described yet) end their branch.
 */
export function targetTree(state: InstanceMap, target: string, runId: string | undefined): TargetNode[] {
  const out: TargetNode[] = [];
  const seen = new Set<string>();
  const queue: { logical: string; parent?: string }[] = [{ logical: target }];
  while (queue.length > 0) {
    const { logical, parent } = queue.shift()!;
    if (seen.has(logical)) continue;
    seen.add(logical);
    const instance = originalOf(state, logical, runId);
    if (!instance) continue;
    const children = [...new Set(instance.replicaIds.map(logicalId))].filter((c) => !seen.has(c));
    out.push({
      logical,
      ...(parent === undefined ? {} : { parent }),
      instance,
      hasReplicas: children.length > 0,
    });
    queue.push(...children.map((c) => ({ logical: c, parent: logical })));
  }
  return out;
}

/** The ids a complete picture of the target tree needs described: each node's three possible names. */
export function idsToDescribe(state: InstanceMap, target: string, runId: string | undefined): string[] {
  const logicals = new Set([target]);
  for (const node of targetTree(state, target, runId)) {
    logicals.add(node.logical);
    for (const child of node.instance.replicaIds) logicals.add(logicalId(child));
  }
  return [...logicals].flatMap((l) => [l, oldId(l), tempId(l)]);
}
