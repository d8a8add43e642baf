import { UsageError } from '../errors/index.js';
import { previewAccessRoles } from './preview-access-roles.js';

/** Who a least-privilege plan is for. */
export type AccessRole = 'producer' | 'restore' | 'cleanup';

/** One database role grant (MongoDB's built-in database roles only: never a cluster-wide one). */
export interface AccessGrant {
  readonly role: 'read' | 'readWrite' | 'dbAdmin';
  readonly db: string;
}

/** A least-privilege plan: the grants, the user, and what the connection may never write. */
export interface AccessPlan {
  readonly role: AccessRole;
  readonly user: string;
  readonly grants: readonly AccessGrant[];
  /** Databases this role must not be able to write: production, and for restores the snapshot. */
  readonly protectedDbs: readonly string[];
  /** Why each grant is there, in the plan's order. */
  readonly reasons: readonly string[];
}

export interface AccessPlanRequest {
  readonly role: AccessRole;
  readonly prodDb: string;
  readonly snapshotDb: string;
  /** The PR database (restore, cleanup), from the configured name template. */
  readonly prDb?: string;
  /** The user name (default: `<snapshotDb>_producer`, `<prDb>-user`, `<prDb>-cleanup`). */
  readonly user?: string;
}

/** Roles that reach every database: a plan never holds one. */
export const CLUSTER_WIDE_ROLES: readonly string[] = Object.freeze([
  'readAnyDatabase',
  'readWriteAnyDatabase',
  'dbAdminAnyDatabase',
  'userAdminAnyDatabase',
  'clusterAdmin',
  'clusterManager',
  'hostManager',
  'backup',
  'restore',
  'root',
  '__system',
]);

/**
 * The least-privilege grants of an in-cluster role:
 *
 * | role       | production | snapshot db           | PR db               |
 * | ---------- | ---------- | --------------------- | ------------------- |
 * | `producer` | `read`     | `readWrite`, `dbAdmin` | —                   |
 * | `restore`  | —          | `read`                | `readWrite`, `dbAdmin` (the preview user's roles) |
 * | `cleanup`  | —          | —                     | `dbAdmin` (drop it; the PR user's own, run before it is deleted) |
 *
 * `cleanup` is the least privileged of three ways to drop orphaned PR databases: the PR's own user drops its database
 * in a PreDelete hook; a shared cleanup user would need `dbAdmin` on every PR database by name (no
 * wildcards), and `dbAdminAnyDatabase` would reach production. Pure.
 *
 * @throws UsageError `ACCESS_BAD_REQUEST` when a database is missing, two coincide, or the plan would
 *   grant more than `read` on production
 */
export function accessPlan(request: AccessPlanRequest): AccessPlan {
  const { role, prodDb, snapshotDb } = request;
  const need = (value: string | undefined, flag: string): string => {
    if (!value) throw new UsageError('ACCESS_BAD_REQUEST', `--role ${role} needs ${flag}`);
    return value;
  };
  need(prodDb, '--prod-db');
  if (role !== 'cleanup') need(snapshotDb, '--snapshot-db');
  const plan = (
    user: string,
    grants: AccessGrant[],
    protectedDbs: string[],
    reasons: string[],
  ): AccessPlan => {
    const dbs = [prodDb, snapshotDb, request.prDb].filter((d): d is string => Boolean(d));
    if (new Set(dbs).size !== dbs.length)
      throw new UsageError(
        'ACCESS_BAD_REQUEST',
        `the production, snapshot and PR databases must differ: ${dbs.join(', ')}`,
      );
    if (grants.some((g) => g.db === prodDb && g.role !== 'read'))
      throw new UsageError(
        'ACCESS_BAD_REQUEST',
        `a plan never grants more than read on production (${prodDb})`,
      );
    return { role, user: request.user ?? user, grants, protectedDbs, reasons };
  };
  if (role === 'producer') {
    return plan(
      `${snapshotDb}_producer`,
      [
        { role: 'read', db: prodDb },
        { role: 'readWrite', db: snapshotDb },
        { role: 'dbAdmin', db: snapshotDb },
      ],
      [prodDb],
      [
        'read production collections to copy them',
        'write the snapshot generations and snapshot_metadata',
        'drop superseded generations and build indexes',
      ],
    );
  }
  const prDb = need(request.prDb, '--pr <number> (or --pr-db)');
  if (role === 'restore') {
    const grants = previewAccessRoles({ prDatabase: prDb, snapshotDatabase: snapshotDb }).map((g) => ({
      role: g.roleName,
      db: g.databaseName,
    }));
    return plan(
      `${prDb.replace(/_/g, '-')}-user`,
      grants,
      [prodDb, snapshotDb],
      [
        'the application, and $out into its temporaries',
        'indexes, swaps and dropping it on cleanup',
        'read the snapshot generation ($out source)',
      ],
    );
  }
  return plan(
    `${prDb.replace(/_/g, '-')}-user`,
    [{ role: 'dbAdmin', db: prDb }],
    [prodDb, ...(snapshotDb ? [snapshotDb] : [])],
    [
      'drop the PR database in a PreDelete hook, before its user is deleted (the PR user already has this role)',
    ],
  );
}
