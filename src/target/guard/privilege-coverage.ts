import { reachesDatabase, writableDatabases, WRITE_ACTIONS, type Privilege } from './writable-databases.js';

/** A database role a plan grants, as data (the roles of MongoDB's built-in database roles). */
export interface PlannedGrant {
  readonly role: 'read' | 'readWrite' | 'dbAdmin';
  readonly db: string;
}

/**
 * The actions a plan relies on per built-in role (a subset of each role's privileges: what dbfork's
 * commands run). `read`: find, listCollections, listIndexes; `readWrite`: also insert, update,
 * remove, createCollection, dropCollection, createIndex, renameCollectionSameDB; `dbAdmin`:
 * dropDatabase, createIndex, dropCollection, collMod.
 */
export const ROLE_ACTIONS: Readonly<Record<PlannedGrant['role'], readonly string[]>> = Object.freeze({
  read: ['find', 'listCollections', 'listIndexes'],
  readWrite: [
    'find',
    'insert',
    'update',
    'remove',
    'createCollection',
    'dropCollection',
    'createIndex',
    'renameCollectionSameDB',
  ],
  dbAdmin: ['dropDatabase', 'createIndex', 'dropCollection', 'collMod'],
});

/** A privilege beyond the plan, or an action the plan needs that is missing. */
export interface PrivilegeFinding {
  /** `db`, `db.collection`, `(every database)`, `(cluster)` or `(any resource)`. */
  readonly resource: string;
  readonly actions: readonly string[];
}

/** How a connection's privileges compare with a plan. */
export interface PrivilegeCoverage {
  /** Privileges the connection holds beyond the plan (over-privileged). */
  readonly extra: readonly PrivilegeFinding[];
  /** Actions the plan needs that the connection lacks (its commands will fail). */
  readonly missing: readonly PrivilegeFinding[];
  /** Protected databases (production, for restores the snapshot) the connection can write. */
  readonly writableProtected: readonly string[];
}

/**
 * Compare `connectionStatus` privileges with a plan's grants. A privilege is extra when it reaches a
 * database the plan does not name, the cluster, every database, or any resource; or when it writes
 * a database the plan grants only `read` on. Writes on protected databases use the target guard's
 * own rule ({@link writableDatabases}). Pure.
 */
export function comparePrivileges(
  privileges: readonly Privilege[],
  grants: readonly PlannedGrant[],
  protectedDbs: readonly string[],
): PrivilegeCoverage {
  const planned = new Map<string, Set<string>>();
  for (const g of grants) {
    const set = planned.get(g.db) ?? new Set<string>();
    for (const a of ROLE_ACTIONS[g.role]) set.add(a);
    planned.set(g.db, set);
  }
  const writable = (db: string) => grants.some((g) => g.db === db && g.role !== 'read');
  const extra: PrivilegeFinding[] = [];
  for (const p of privileges) {
    const r = p.resource;
    const label = r.anyResource
      ? '(any resource)'
      : r.cluster
        ? '(cluster)'
        : r.db === '' || r.db === undefined
          ? `(every database)${r.collection ? `.${r.collection}` : ''}`
          : r.collection
            ? `${r.db}.${r.collection}`
            : r.db;
    if (r.anyResource || r.cluster || !r.db) {
      extra.push({ resource: label, actions: [...p.actions].sort() });
      continue;
    }
    if (!planned.has(r.db)) {
      extra.push({ resource: label, actions: [...p.actions].sort() });
      continue;
    }
    const writes = p.actions.filter((a) => WRITE_ACTIONS.has(a));
    if (writes.length > 0 && !writable(r.db)) extra.push({ resource: label, actions: writes.sort() });
  }
  const missing: PrivilegeFinding[] = [];
  for (const [db, actions] of planned) {
    const lacking = [...actions].filter(
      (a) => !privileges.some((p) => p.actions.includes(a) && reachesDatabase(p.resource, db)),
    );
    if (lacking.length > 0) missing.push({ resource: db, actions: lacking.sort() });
  }
  return { extra, missing, writableProtected: writableDatabases(privileges, protectedDbs) };
}
