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
const WRITE_ACTIONS: ReadonlySet<string> = new Set([
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
 * Which of `dbs` the privileges allow writing into (any write action on any collection of it).
 * Resource forms (MongoDB's): `{anyResource}` → every db; `{db:'', collection:''}` → every db but
 * `local` and `config`; `{db:'', collection:'c'}` → collection c in every db; `{db:'x', …}` → db x.
 * `{cluster:true}` grants no collection writes. Pure.
 */
export function writableDatabases(privileges: readonly Privilege[], dbs: readonly string[]): string[] {
  return dbs.filter((db) =>
    privileges.some((p) => {
      if (!p.actions.some((a) => WRITE_ACTIONS.has(a))) return false;
      const r = p.resource;
      if (r.anyResource) return true;
      if (r.cluster || r.db === undefined) return false;
      if (r.db === '') return !['local', 'config'].includes(db.toLowerCase()) || (r.collection ?? '') !== '';
      return r.db.toLowerCase() === db.toLowerCase();
    }),
  );
}
