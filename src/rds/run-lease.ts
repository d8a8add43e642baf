/**
 * The run lock of an RDS clone: one tag (`dbfork:lease`) on the target root, valued
 * `run=<runId> owner=<host>/<pid> expires=<ISO 8601>`. The run id names the clone in progress (its
 * copies carry it as `dbfork:run`), so a rerun after an interruption adopts it and resumes.
 */
export interface RunLease {
  readonly runId: string;
  /** `<host>/<pid>` of the process holding it. */
  readonly owner: string;
  /** ISO 8601. */
  readonly expires: string;
}

export function formatLease(lease: RunLease): string {
  return `run=${lease.runId} owner=${lease.owner} expires=${lease.expires}`;
}

/** The lease a tag value holds, or undefined for a value of another shape. */
export function parseLease(value: string | undefined): RunLease | undefined {
  const match = /^run=(\S+) owner=(\S+) expires=(\S+)$/.exec(value ?? '');
  if (!match) return undefined;
  return { runId: match[1]!, owner: match[2]!, expires: match[3]! };
}

/** Facts about this process the staleness rule needs (injected in tests). */
export interface LeaseHost {
  readonly owner: string;
  readonly now: number;
  /** True while the process `pid` of this host runs. */
  readonly alive: (pid: number) => boolean;
}

/**
 * Whether `lease` may be taken by `host`: it is its own, it expired, or its owner is a process of this
 * host that is gone (a killed run, resumed on the same machine).
 */
export function mayTake(lease: RunLease, host: LeaseHost): boolean {
  if (lease.owner === host.owner) return true;
  if (Date.parse(lease.expires) <= host.now) return true;
  const [leaseHost, pid] = lease.owner.split('/');
  const [ownHost] = host.owner.split('/');
  return leaseHost === ownHost && /^\d+$/.test(pid ?? '') && !host.alive(Number(pid));
}
