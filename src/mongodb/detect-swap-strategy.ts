import type { Capability } from './probe-capabilities.js';
import { asServerError, type CommandRunner } from './command-runner.js';
import type { SwapStrategy } from '../target/swap-strategy.js';

/** "No such command, option or stage here" (CommandNotFound, CommandNotSupported, NotImplemented). */
const NOT_SUPPORTED_CODES = new Set([59, 115, 238]);
/** Unauthorized, AuthenticationFailed: the answer does not tell. */
const UNAUTHORIZED_CODES = new Set([13, 18]);

/**
 * Ask the server whether `renameCollection` takes `dropTarget`: rename a namespace that does not
 * exist, so nothing changes. A server that understood the request refuses it as NamespaceNotFound
 * (or accepts it): `rename-drop-target`. NotImplemented, code 238 (FerretDB), an unknown answer (e.g.
 * unauthorized) or no answer: `rename-aside`, the stepwise swap that works everywhere.
 *
 * Only this one probe runs, not the full `probeCapabilities`: its Decimal128 probe makes FerretDB
 * drop the connection, and the next command then waited about 500 ms for the driver to find the
 * server again (measured with bench/restore.ts).
 */
export async function detectSwapStrategy(
  run: CommandRunner,
): Promise<{ strategy: SwapStrategy; evidence: Capability }> {
  const evidence = await probeRenameDropTarget(run);
  return { strategy: evidence.supported === true ? 'rename-drop-target' : 'rename-aside', evidence };
}

async function probeRenameDropTarget(run: CommandRunner): Promise<Capability> {
  const name = 'renameDropTarget';
  try {
    await run('admin', {
      renameCollection: 'dbfork_probe.dbfork_probe_absent',
      to: 'dbfork_probe.dbfork_probe_absent_2',
      dropTarget: true,
    });
    return { name, supported: true, evidence: 'accepted' };
  } catch (error) {
    const e = asServerError(error);
    const code = typeof e.code === 'number' ? e.code : undefined;
    const said = `${e.codeName ?? String(code ?? 'error')}: ${e.message}`.slice(0, 160);
    if (code === undefined) return { name, supported: false, evidence: `no server answer: ${said}` };
    if (NOT_SUPPORTED_CODES.has(code)) return { name, supported: false, evidence: said };
    if (UNAUTHORIZED_CODES.has(code)) return { name, supported: null, evidence: said };
    return { name, supported: true, evidence: `understood, refused as expected: ${said}` };
  }
}
