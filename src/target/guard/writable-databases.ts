/** One entry of `connectionStatus {showPrivileges: true}` → `authInfo.authenticatedUserPrivileges`. */
export interface Privilege {
  readonly resource: {
    readonly db?: string;
    readonly collection?: string;
    readonly cluster?: boolean;
    readonly anyResource?: boolean;
  };
  readonly actions: readonly string[];
}

/** Actions that change data or collections in a database. */
export const WRITE_ACTIONS: ReadonlySet<string> = new Set([
  'insert',
  'update',
  'remove',
  'createCollection',
  'dropCollection',
  'dropDatabase',
  'renameCollectionSameDB',
  'createIndex',
  'dropIndex',
  'collMod',
  'convertToCapped',
  'emptycapped',
]);

/**
 * Whether a privilege's resource reaches database `db`. Resource forms (MongoDB's): `{anyResource}`
 * → every db; `{db:'', collection:''}` → every db but `local` and `config`; `{db:'', collection:'c'}`
 * → collection c in every db; `{db:'x', …}` → db x; `{cluster:true}` → no database. Pure.
 */
export function reachesDatabase(resource: Privilege['resource'], db: string): boolean {
  if (resource.anyResource) return true;
  if (resource.cluster || resource.db === undefined) return false;
  if (resource.db === '')
    return !['local', 'config'].includes(db.toLowerCase()) || (resource.collection ?? '') !== '';
  return resource.db.toLowerCase() === db.toLowerCase();
}

/** Whether a privilege allows any write action in database `db`. Pure. */
export function writesDatabase(privilege: Privilege, db: string): boolean {
  return privilege.actions.some((a) => WRITE_ACTIONS.has(a)) && reachesDatabase(privilege.resource, db);
}

/**
 * Which of `dbs` the privileges allow writing into (any write action on any collection of it).
 * `{cluster:true}` grants no collection writes. Pure.
 */
export function writableDatabases(privileges: readonly Privilege[], dbs: readonly string[]): string[] {
  return dbs.filter((db) => privileges.some((p) => writesDatabase(p, db)));
}
