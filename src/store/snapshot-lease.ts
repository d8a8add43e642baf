import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * A writer's claim on a snapshot being written, stored as its `.lock` object. It expires unless the
 * writer renews it, so any reader (on any host) can tell an abandoned snapshot from a running one.
 * `host` and `pid` also let a reader on the writer's host notice a dead writer at once.
 */
export interface SnapshotLease {
  /** `<host>:<pid>:<8 random hex>`, unique per writer. */
  readonly owner: string;
  readonly host: string;
  readonly pid: number;
  /** ISO 8601: when the lease was last renewed. */
  readonly renewedAt: string;
  /** ISO 8601: when it lapses unless renewed. Absent in `.lock` files written before leases (0.1.0). */
  readonly expiresAt?: string;
}

/** A new lease for this process, valid for `ttlMs` milliseconds from `now`. */
export function newLease(now: Date, ttlMs: number): SnapshotLease {
  const host = hostname();
  return {
    owner: `${host}:${process.pid}:${randomBytes(4).toString('hex')}`,
    host,
    pid: process.pid,
    renewedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
  };
}

/** The same lease, renewed at `now` for another `ttlMs` milliseconds. */
export function renewLease(lease: SnapshotLease, now: Date, ttlMs: number): SnapshotLease {
  return { ...lease, renewedAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
}

/** Parse a `.lock` object: a lease, or a 0.1.0 `{pid, host}` lock; null when unreadable. */
export function parseLease(text: string): SnapshotLease | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const v = (value ?? {}) as Record<string, unknown>;
  if (typeof v.host !== 'string' || typeof v.pid !== 'number') return null;
  return {
    owner: typeof v.owner === 'string' ? v.owner : `${v.host}:${v.pid}`,
    host: v.host,
    pid: v.pid,
    renewedAt: typeof v.renewedAt === 'string' ? v.renewedAt : '',
    ...(typeof v.expiresAt === 'string' ? { expiresAt: v.expiresAt } : {}),
  };
}

/**
 * Whether a lease still holds at `now`: not expired and, on this host, its process alive. A 0.1.0
 * lock has no expiry: on this host its process decides; from another host it cannot be judged and is
 * taken as live (as 0.1.0 did).
 */
export function leaseIsLive(lease: SnapshotLease, now: Date): boolean {
  if (lease.expiresAt !== undefined && !(Date.parse(lease.expiresAt) > now.getTime())) return false;
  if (lease.host !== hostname()) return true;
  return processAlive(lease.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by another user
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
