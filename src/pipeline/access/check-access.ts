import { clientCommandRunner } from '../../mongodb/command-runner.js';
import { connectMongo } from '../../mongodb/connect.js';
import { readPrivileges, type ConnectionPrivileges } from '../../mongodb/read-privileges.js';
import type { AccessPlan } from '../../policy/access-plan.js';
import { comparePrivileges, type PrivilegeCoverage } from '../../target/guard/privilege-coverage.js';

/** `access check`'s result: the plan's role, who the connection is, and the comparison. */
export interface AccessCheckReport extends PrivilegeCoverage {
  readonly role: AccessPlan['role'];
  readonly users: readonly string[];
  readonly roles: readonly string[];
  readonly privileges: 'checked' | 'undetermined';
}

/** Where the privileges come from: a live connection, or a saved `connectionStatus` reply. */
export type PrivilegeSource =
  | { readonly kind: 'live'; readonly uri: string }
  | { readonly kind: 'recorded'; readonly reply: Record<string, unknown> };

/**
 * Compare a connection's privileges with a plan through the target guard's own code (`readPrivileges`,
 * `writableDatabases`, via `comparePrivileges`). Read-only: one `connectionStatus` command.
 *
 * @throws TargetError `TARGET_UNREACHABLE` for a live connection that does not answer
 */
export async function checkAccess(plan: AccessPlan, source: PrivilegeSource): Promise<AccessCheckReport> {
  let connection: ConnectionPrivileges;
  if (source.kind === 'recorded') {
    connection = await readPrivileges(() => Promise.resolve(source.reply));
  } else {
    const client = await connectMongo(source.uri, { role: 'target' });
    try {
      connection = await readPrivileges(clientCommandRunner(client));
    } finally {
      await client.close();
    }
  }
  const base = { role: plan.role, users: connection.users, roles: connection.roles };
  if (connection.privileges === null)
    return { ...base, privileges: 'undetermined', extra: [], missing: [], writableProtected: [] };
  return {
    ...base,
    privileges: 'checked',
    ...comparePrivileges(connection.privileges, plan.grants, plan.protectedDbs),
  };
}
