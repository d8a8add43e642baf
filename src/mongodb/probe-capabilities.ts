import { Decimal128, type Document } from 'mongodb';
import type { SourceCapability } from '../source/source-description.js';
import { asServerError, type CommandRunner, type ServerErrorLike } from './command-runner.js';

/** The server capabilities dbfork depends on. */
export type CapabilityName =
  '$out' | '$merge' | 'fsyncLock' | 'crossDatabaseRename' | 'renameDropTarget' | 'decimal128' | 'roles';

/** One probed capability of a MongoDB server. */
export interface Capability extends SourceCapability {
  readonly name: CapabilityName;
}

/** Server error codes meaning "this command or stage does not exist here". */
const NOT_SUPPORTED_CODES = new Set([
  59, // CommandNotFound
  115, // CommandNotSupported
  238, // NotImplemented
  40324, // Unrecognized pipeline stage name
]);
const UNAUTHORIZED_CODES = new Set([13, 18]);

/** Scratch names that no deployment uses; no probe creates anything under them. */
const PROBE_DB = 'dbfork_probe';
const PROBE_DB_OTHER = 'dbfork_probe_other';
const PROBE_COLL = 'dbfork_probe_absent';

function describe(error: ServerErrorLike): string {
  const code = error.codeName ? `${error.codeName} (${String(error.code)})` : String(error.code ?? 'error');
  return `${code}: ${error.message}`.slice(0, 160);
}

/**
 * Classify the answer to a probe that must fail on any server: a "no such command/stage" code means
 * unsupported, an authorization error means unknown, any other error means the server understood the
 * request (it failed later, on purpose: a missing namespace, an invalid target).
 */
async function probeByExpectedFailure(
  name: CapabilityName,
  run: () => Promise<Document>,
  understoodCodes?: ReadonlySet<number>,
): Promise<Capability> {
  try {
    await run();
    return { name, supported: true, evidence: 'accepted' };
  } catch (error) {
    const e = asServerError(error);
    const code = typeof e.code === 'number' ? e.code : undefined;
    if (code !== undefined && NOT_SUPPORTED_CODES.has(code))
      return { name, supported: false, evidence: describe(e) };
    if (code !== undefined && UNAUTHORIZED_CODES.has(code))
      return { name, supported: null, evidence: describe(e) };
    if (code === undefined)
      return { name, supported: false, evidence: `no server answer: ${e.message}`.slice(0, 160) };
    if (understoodCodes && !understoodCodes.has(code))
      return { name, supported: null, evidence: describe(e) };
    return { name, supported: true, evidence: `understood, refused as expected: ${describe(e)}` };
  }
}

/**
 * Probe each capability by asking the server, never from its name or version. Every probe is free of
 * side effects: it targets namespaces that do not exist or is built to be refused after parsing
 * (an `$out` to an empty collection name), so nothing is created on any server.
 *
 * @param run - the command seam
 * @param commands - the command names from `listCommands` (null when the server refused it)
 */
export async function probeCapabilities(
  run: CommandRunner,
  commands: ReadonlySet<string> | null,
): Promise<Capability[]> {
  const results: Capability[] = [];
  // $out / $merge: explain is not enough (FerretDB explains stages it cannot run), so run an aggregate
  // whose target namespace is invalid: a server that knows the stage refuses it as InvalidNamespace.
  results.push(
    await probeByExpectedFailure('$out', () =>
      run(PROBE_DB, { aggregate: PROBE_COLL, pipeline: [{ $out: { db: PROBE_DB, coll: '' } }], cursor: {} }),
    ),
  );
  results.push(
    await probeByExpectedFailure('$merge', () =>
      run(PROBE_DB, {
        aggregate: PROBE_COLL,
        pipeline: [{ $merge: { into: { db: PROBE_DB, coll: '' } } }],
        cursor: {},
      }),
    ),
  );
  results.push(probeFsyncLock(commands));
  // Renames of a namespace that does not exist: NamespaceNotFound (26) means the form is supported.
  results.push(
    await probeByExpectedFailure('crossDatabaseRename', () =>
      run('admin', {
        renameCollection: `${PROBE_DB}.${PROBE_COLL}`,
        to: `${PROBE_DB_OTHER}.${PROBE_COLL}`,
      }),
    ),
  );
  results.push(
    await probeByExpectedFailure('renameDropTarget', () =>
      run('admin', {
        renameCollection: `${PROBE_DB}.${PROBE_COLL}`,
        to: `${PROBE_DB}.${PROBE_COLL}_2`,
        dropTarget: true,
      }),
    ),
  );
  results.push(await probeRoles(run, commands));
  // Last: a server that cannot decode Decimal128 may drop the connection.
  results.push(await probeDecimal128(run));
  return results;
}

function probeFsyncLock(commands: ReadonlySet<string> | null): Capability {
  if (commands === null) return { name: 'fsyncLock', supported: null, evidence: 'listCommands refused' };
  const missing = ['fsync', 'fsyncUnlock'].filter((c) => !commands.has(c));
  return missing.length === 0
    ? { name: 'fsyncLock', supported: true, evidence: 'listCommands has fsync and fsyncUnlock' }
    : { name: 'fsyncLock', supported: false, evidence: `listCommands has no ${missing.join(', ')}` };
}

async function probeRoles(run: CommandRunner, commands: ReadonlySet<string> | null): Promise<Capability> {
  if (commands !== null && !commands.has('rolesInfo')) {
    return { name: 'roles', supported: false, evidence: 'listCommands has no rolesInfo' };
  }
  return probeByExpectedFailure('roles', () => run('admin', { rolesInfo: 1 }));
}

async function probeDecimal128(run: CommandRunner): Promise<Capability> {
  try {
    await run(PROBE_DB, { find: PROBE_COLL, filter: { v: Decimal128.fromString('1.5') }, limit: 1 });
    return { name: 'decimal128', supported: true, evidence: 'a Decimal128 query value was accepted' };
  } catch (error) {
    const e = asServerError(error);
    if (typeof e.code === 'number' && UNAUTHORIZED_CODES.has(e.code)) {
      return { name: 'decimal128', supported: null, evidence: describe(e) };
    }
    return {
      name: 'decimal128',
      supported: false,
      evidence: `a Decimal128 query value failed: ${describe(e)}`,
    };
  }
}
