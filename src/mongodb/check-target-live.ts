import { PolicyError } from '../errors/index.js';
import type { CommandRunner } from './command-runner.js';
import type { LiveGuardReport, LiveGuardRequest } from '../target/guard/live-guard.js';
import { resolveHostKeys, resolveUriHostKeys, systemResolver } from '../target/guard/resolve-host-keys.js';
import { writableDatabases } from '../target/guard/writable-databases.js';
import { readPrivileges } from './read-privileges.js';

/** The live check's input: the request plus the hosts the open connection reaches. */
export interface LiveGuardInput extends LiveGuardRequest {
  /** `host:port` of every server the target connection reaches (driver seeds after SRV resolution). */
  readonly connectedHosts: readonly string[];
}

/**
 * The guard's second half, run on the open target connection before any write:
 * 1. privileges: `connectionStatus {showPrivileges: true}`; if the authenticated users can write to a
 *    configured production or snapshot database, refuse (`TARGET_PRIVILEGES_TOO_BROAD`: a restore
 *    user should only be able to write its own target). With no authenticated user (auth disabled,
 *    or FerretDB, which has no roles) privileges cannot be determined: reported as `undetermined`;
 * 2. the source by address: when the target db has the source's name, resolve both host lists
 *    (SRV records, then A/AAAA, plus `hello.hosts`/`me`) and refuse (`TARGET_IS_SOURCE`) on any address
 *    in common, or when resolution fails (fail closed).
 *
 * @throws PolicyError `TARGET_PRIVILEGES_TOO_BROAD` or `TARGET_IS_SOURCE`
 */
export async function checkTargetLive(run: CommandRunner, input: LiveGuardInput): Promise<LiveGuardReport> {
  const connection = await readPrivileges(run);
  const users = connection.users;
  let privileges: LiveGuardReport['privileges'] = 'undetermined';
  let privilegesDetail = 'no authenticated user: the server does not say what this connection may write';
  if (connection.privileges !== null) {
    const writable = writableDatabases(connection.privileges, input.protectedDbs);
    if (writable.length > 0) {
      throw new PolicyError(
        'TARGET_PRIVILEGES_TOO_BROAD',
        `target guard refused (rule privileges): the target connection can write to protected database ${writable.join(', ')}`,
        {
          hint: 'restore with a user whose roles cover only the target database (readWrite on it)',
          subject: { rule: 'privileges', db: input.target.db },
          labels: ['noWritesPerformed'],
        },
      );
    }
    privileges = 'checked';
    privilegesDetail = `${users.length} authenticated user(s); none can write ${input.protectedDbs.join(', ') || '(no protected db configured)'}`;
  }
  const source = input.source;
  if (!source || source.db.toLowerCase() !== input.target.db.toLowerCase()) {
    return { privileges, privilegesDetail, sourceHosts: 'skipped' };
  }
  const resolver = input.resolver ?? systemResolver;
  let common: string[];
  try {
    const hello = await run('admin', { hello: 1 });
    const helloHosts = [...asStrings(hello.hosts), ...asStrings(hello.passives), ...asStrings([hello.me])];
    const targetKeys = await resolveHostKeys([...input.connectedHosts, ...helloHosts], resolver);
    const sourceKeys = await resolveUriHostKeys(source.uri, resolver);
    common = targetKeys.filter((k) => sourceKeys.includes(k));
  } catch (error) {
    throw new PolicyError(
      'TARGET_IS_SOURCE',
      `target guard refused (rule source-itself): "${input.target.db}" has the source's name and the servers cannot be told apart: ${(error as Error).message}`,
      {
        subject: { rule: 'source-itself', db: input.target.db },
        labels: ['noWritesPerformed'],
        cause: error,
      },
    );
  }
  if (common.length > 0) {
    throw new PolicyError(
      'TARGET_IS_SOURCE',
      `target guard refused (rule source-itself): "${input.target.db}" on ${common.join(', ')} is the snapshot's own source`,
      {
        hint: 'a snapshot is never restored over its own source: pick another target database',
        subject: { rule: 'source-itself', db: input.target.db },
        labels: ['noWritesPerformed'],
      },
    );
  }
  return { privileges, privilegesDetail, sourceHosts: 'different' };
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
