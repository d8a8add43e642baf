import type { Document } from 'mongodb';

/** Whether two connections reach one deployment, and the evidence, for the plan and the logs. */
export interface SameCluster {
  readonly same: boolean;
  readonly why: string;
}

function hostsOf(hello: Document, seeds: readonly string[]): Set<string> {
  const list = [
    ...seeds,
    ...(Array.isArray(hello.hosts) ? (hello.hosts as string[]) : []),
    ...(Array.isArray(hello.passives) ? (hello.passives as string[]) : []),
    ...(typeof hello.me === 'string' ? [hello.me] : []),
  ];
  return new Set(list.map((h) => h.toLowerCase()));
}

/**
 * Decide from two `hello` replies (and the hosts each connection was given) whether both reach one
 * cluster: the same replica set (`setName`) with a host in common, or the same mongos (`msg:
 * 'isdbgrid'`) or standalone server at a common address. Pure: no DNS, a host in common is the proof.
 */
export function sameCluster(
  a: { readonly hello: Document; readonly seeds: readonly string[] },
  b: { readonly hello: Document; readonly seeds: readonly string[] },
): SameCluster {
  const common = [...hostsOf(a.hello, a.seeds)].filter((h) => hostsOf(b.hello, b.seeds).has(h));
  const setA = typeof a.hello.setName === 'string' ? a.hello.setName : undefined;
  const setB = typeof b.hello.setName === 'string' ? b.hello.setName : undefined;
  if (setA !== undefined || setB !== undefined) {
    if (setA !== setB)
      return { same: false, why: `replica sets differ (${setA ?? 'none'} / ${setB ?? 'none'})` };
    return common.length > 0
      ? { same: true, why: `replica set ${setA} (${common[0]})` }
      : { same: false, why: `replica set ${setA} on hosts with nothing in common` };
  }
  const kind = a.hello.msg === 'isdbgrid' ? 'mongos' : 'server';
  if ((a.hello.msg === 'isdbgrid') !== (b.hello.msg === 'isdbgrid'))
    return { same: false, why: 'one connection is a mongos, the other is not' };
  return common.length > 0
    ? { same: true, why: `the same ${kind} (${common[0]})` }
    : { same: false, why: `different ${kind}s` };
}
