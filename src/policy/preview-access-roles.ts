/**
 * The database roles of a pull request's preview user: the least a preview needs, on the databases it
 * names and no other. MongoDB has no wildcard database grants, so each database is named.
 *
 * | database                     | role        | why                                                        |
 * | ---------------------------- | ----------- | ---------------------------------------------------------- |
 * | its own PR database          | `readWrite` | the application, and restores into it (insert, rename)     |
 * | its own PR database          | `dbAdmin`   | indexes, collection drops, and dropping it on cleanup      |
 * | the snapshot database        | `read`      | only when the preview is restored from a snapshot          |
 *
 * Production, staging and every other PR database get nothing, so a preview's jobs cannot write
 * there whatever they run. This is the one definition of those roles: the AtlasDatabaseUser of
 * `dbfork preview manifests` and in-cluster access plans use it.
 */

/** One grant, in the Atlas Operator's `spec.roles[]` shape. */
export interface DatabaseRoleGrant {
  readonly roleName: 'read' | 'readWrite' | 'dbAdmin';
  readonly databaseName: string;
}

/** What a preview user's roles depend on. */
export interface PreviewAccess {
  /** The pull request's own database, e.g. `app_pr_123`. */
  readonly prDatabase: string;
  /** The snapshot database to read from; absent (or undefined) when the preview is not restored from it. */
  readonly snapshotDatabase?: string | undefined;
}

/**
 * The grants of a preview user, in a stable order (own database first).
 * @throws Error when a database name is empty or the snapshot database is the PR database
 */
export function previewAccessRoles(access: PreviewAccess): DatabaseRoleGrant[] {
  const { prDatabase, snapshotDatabase } = access;
  if (prDatabase === '' || snapshotDatabase === '') throw new Error('a database name is empty');
  if (snapshotDatabase === prDatabase) throw new Error('the snapshot database cannot be the PR database');
  const grants: DatabaseRoleGrant[] = [
    { roleName: 'readWrite', databaseName: prDatabase },
    { roleName: 'dbAdmin', databaseName: prDatabase },
  ];
  if (snapshotDatabase !== undefined) grants.push({ roleName: 'read', databaseName: snapshotDatabase });
  return grants;
}
