import type { CommandRunner } from '../source/mongodb/command-runner.js';
import { probeCapabilities, type Capability } from '../source/mongodb/probe-capabilities.js';
import type { SwapStrategy } from './swap-collection.js';

/**
 * Ask the server whether `renameCollection` takes `dropTarget` (the capability probe renames a
 * namespace that does not exist, so nothing changes): `rename-drop-target` when it does, else
 * `rename-aside`. Unknown (e.g. unauthorized) counts as unsupported: the stepwise swap works everywhere.
 */
export async function detectSwapStrategy(
  run: CommandRunner,
): Promise<{ strategy: SwapStrategy; evidence: Capability | undefined }> {
  const capabilities = await probeCapabilities(run, null);
  const evidence = capabilities.find((c) => c.name === 'renameDropTarget');
  return { strategy: evidence?.supported === true ? 'rename-drop-target' : 'rename-aside', evidence };
}
