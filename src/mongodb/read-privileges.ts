import type { Privilege } from '../target/guard/writable-databases.js';
import type { CommandRunner } from './command-runner.js';

/** What `connectionStatus {showPrivileges: true}` says about a connection. */
export interface ConnectionPrivileges {
  /** `user@db` of every authenticated user. */
  readonly users: readonly string[];
  /** Their privileges; null when no user is authenticated (auth disabled, FerretDB): undetermined. */
  readonly privileges: readonly Privilege[] | null;
  /** `role@db` of their roles, as the server lists them. */
  readonly roles: readonly string[];
}

/**
 * Ask the server what the connection may do: `connectionStatus {showPrivileges: true}` on `admin`.
 * Both the target guard's live check and `dbfork access check` read privileges through this.
 */
export async function readPrivileges(run: CommandRunner): Promise<ConnectionPrivileges> {
  const status = await run('admin', { connectionStatus: 1, showPrivileges: true });
  const authInfo = (status.authInfo ?? {}) as {
    authenticatedUsers?: { user?: string; db?: string }[];
    authenticatedUserRoles?: { role?: string; db?: string }[];
    authenticatedUserPrivileges?: Privilege[];
  };
  const users = (authInfo.authenticatedUsers ?? []).map((u) => `${u.user ?? '?'}@${u.db ?? '?'}`);
  const roles = (authInfo.authenticatedUserRoles ?? []).map((r) => `${r.role ?? '?'}@${r.db ?? '?'}`);
  const privileges =
    users.length > 0 && Array.isArray(authInfo.authenticatedUserPrivileges)
      ? authInfo.authenticatedUserPrivileges
      : null;
  return { users, privileges, roles };
}
