import type { Plan } from '../plan/plan-schema.js';
import { openSnapshotStore } from '../store/open-snapshot-store.js';
import { parseSnapshotRef } from '../store/snapshot-ref.js';
import { checkIdentity } from './check-identity.js';
import { decryptionKeys } from './decryption-keys.js';
import { toJsonValue } from './json-value.js';
import { restoreTargetOptions, type RestoreRunParams } from './operations/restore-run-operation.js';
import { planRestoreCommand } from './restore-command-plan.js';
import {
  dumpRestoreInput,
  snapshotRestoreInput,
  type RestoreAnonymization,
  type RestoreInput,
} from './restore-input.js';
import { planRestoreDryRun, type RestoreDryRun } from './restore-to-target.js';
import { waitForSnapshot } from './wait-for-snapshot.js';

export interface RestoreCommandDryRunOptions {
  /** The target's connection string, resolved from `params.target`. */
  readonly uri: string;
  /** The anonymization, loaded (rules read, key found) before anything is read. */
  readonly anonymization: RestoreAnonymization;
  /** Wait for the snapshot first: total and pause, in ms. */
  readonly wait: { readonly waitMs: number; readonly intervalMs: number };
  /** Called while waiting for the snapshot, with the time waited so far. */
  readonly onWait?: (waitedMs: number) => void;
  /** `--replace`: plan the drops of the target collections the restore would not bring. */
  readonly replace?: boolean;
}

/**
 * `dbfork restore --dry-run` / `--plan-out`: read the input's prelude (waiting for the snapshot if
 * asked) and look at the target, read-only, then plan the restore with what was seen as its preview.
 * Nothing is written; the caller fails as `dry.plan.guard` says.
 *
 * @throws StoreError / SnapshotError when the snapshot does not come; ArchiveError for a bad dump
 */
export async function dryRunRestoreCommand(
  params: RestoreRunParams,
  options: RestoreCommandDryRunOptions,
): Promise<{ dry: RestoreDryRun; plan: Plan }> {
  const input = await openInput(params, options);
  const dry = await planRestoreDryRun(restoreTargetOptions(params, options.uri, input));
  const plan = planRestoreCommand({
    restore: params,
    wait: options.wait,
    guard: dry.plan.guard,
    ...(options.replace ? { replace: { planned: dry.extra } } : {}),
    preview: toJsonValue({
      collections: dry.plan.collections,
      warnings: dry.plan.warnings,
      live: dry.live,
      existing: dry.existing,
      ...(options.replace ? { drops: dry.extra } : {}),
    }),
  });
  return { dry, plan };
}

async function openInput(
  params: RestoreRunParams,
  options: RestoreCommandDryRunOptions,
): Promise<RestoreInput> {
  const keys = await decryptionKeys(params.identityFile);
  const checks = { objcheck: params.objcheck ?? true };
  if ('dump' in params.input) return dumpRestoreInput(params.input.dump, options.anonymization, keys, checks);
  const store = await openSnapshotStore(params.input.store);
  const snapshot = await waitForSnapshot(store, parseSnapshotRef(params.input.snapshot), {
    ...options.wait,
    ...(options.onWait ? { onWait: options.onWait } : {}),
  });
  const input = snapshotRestoreInput(snapshot, options.anonymization, keys, checks);
  await checkIdentity(snapshot, keys);
  return input;
}
