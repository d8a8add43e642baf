import type { InstanceMap } from './db-instance.js';

/**
 * The ids of the replication tree rooted at `rootId`, breadth first (children are each instance's
 * `replicaIds`, in their order). Ids the map does not hold are left out, with their subtrees.
 */
export function treeIds(state: InstanceMap, rootId: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    const node = state.get(id);
    if (!node || seen.has(id)) continue;
    seen.add(id);
    out.push(id);
    queue.push(...node.replicaIds);
  }
  return out;
}

/** The same tree, leaves first: every replica before its source (reverse breadth-first order). */
export function leavesFirst(ids: readonly string[]): string[] {
  return [...ids].reverse();
}
